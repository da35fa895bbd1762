package io.pgbackup.notifier.delivery;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pgbackup.events.EventCodec;
import io.pgbackup.events.Severity;
import io.pgbackup.notifier.persistence.Alert;

/** Slack Block Kit and email text/HTML for one message of one or more alerts. */
public final class MessageRenderer {

    private static final int MAX_SHOWN = 10;

    private MessageRenderer() {
    }

    static String icon(Alert a) {
        if (a.kind == Alert.Kind.RECOVERED) {
            return "✅";
        }
        return a.severity == Severity.CRITICAL ? "🔴" : "⚠️";
    }

    public static String subject(List<Alert> alerts) {
        Alert first = alerts.get(0);
        return alerts.size() == 1
                ? "[pg-backup] " + first.title
                : "[pg-backup] " + alerts.size() + " alerts: " + first.title + " and more";
    }

    /**
     * Slack's mrkdwn reads {@code <...>} as links and mentions ({@code <!channel>}) and {@code &} as
     * the start of an entity: a reason from a request (or a forged event) must not ping a channel
     * or carry a link. Slack asks for exactly these three to be escaped.
     */
    static String slackEscape(String text) {
        return text == null ? null : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public static String slack(List<Alert> alerts, String dashboardUrl) {
        ObjectNode root = EventCodec.mapper().createObjectNode();
        root.put("text", slackEscape(subject(alerts)));
        ArrayNode blocks = root.putArray("blocks");
        if (alerts.size() > 1) {
            header(blocks, alerts.size() + " backup alerts");
        }
        for (Alert a : alerts.subList(0, Math.min(MAX_SHOWN, alerts.size()))) {
            if (alerts.size() == 1) {
                header(blocks, icon(a) + " " + a.title);
            } else {
                section(blocks, "*" + icon(a) + " " + slackEscape(a.title) + "*");
            }
            ObjectNode fields = blocks.addObject().put("type", "section");
            ArrayNode f = fields.putArray("fields");
            f.addObject().put("type", "mrkdwn").put("text", "*Stanza*\n" + slackEscape(a.stanza));
            f.addObject().put("type", "mrkdwn").put("text", "*When*\n" + a.occurredAt);
            f.addObject().put("type", "mrkdwn").put("text", "*Severity*\n" + a.severity.wire());
            f.addObject().put("type", "mrkdwn").put("text", "*Times*\n" + a.occurrences);
            section(blocks, "*What happened*\n" + slackEscape(a.reason));
            ObjectNode context = blocks.addObject().put("type", "context");
            context.putArray("elements").addObject().put("type", "mrkdwn").put("text",
                    "*What to do:* " + slackEscape(a.hint));
            blocks.addObject().put("type", "divider");
        }
        if (alerts.size() > MAX_SHOWN) {
            section(blocks, "…and " + (alerts.size() - MAX_SHOWN) + " more: see the dashboard.");
        }
        ObjectNode actions = blocks.addObject().put("type", "actions");
        ObjectNode button = actions.putArray("elements").addObject().put("type", "button").put("url", dashboardUrl);
        button.putObject("text").put("type", "plain_text").put("text", "Open the dashboard");
        return root.toString();
    }

    private static void header(ArrayNode blocks, String text) {
        ObjectNode h = blocks.addObject().put("type", "header");
        h.putObject("text").put("type", "plain_text").put("text", text.length() > 150 ? text.substring(0, 150) : text);
    }

    private static void section(ArrayNode blocks, String markdown) {
        ObjectNode s = blocks.addObject().put("type", "section");
        s.putObject("text").put("type", "mrkdwn").put("text", markdown.length() > 2900
                ? markdown.substring(0, 2900)
                : markdown);
    }

    public static String text(List<Alert> alerts, String dashboardUrl) {
        StringBuilder out = new StringBuilder();
        for (Alert a : alerts) {
            out.append(a.title).append("\n\n")
                    .append("Stanza:   ").append(a.stanza).append('\n')
                    .append("When:     ").append(a.occurredAt).append('\n')
                    .append("Severity: ").append(a.severity.wire()).append('\n')
                    .append("Times:    ").append(a.occurrences).append("\n\n")
                    .append("What happened: ").append(a.reason).append('\n')
                    .append("What to do:    ").append(a.hint).append("\n\n----\n\n");
        }
        return out.append("Dashboard: ").append(dashboardUrl).append('\n').toString();
    }

    public static String html(List<Alert> alerts, String dashboardUrl) {
        StringBuilder out = new StringBuilder("<html><body>");
        for (Alert a : alerts) {
            out.append("<h2>").append(escape(icon(a) + " " + a.title)).append("</h2><table>")
                    .append(row("Stanza", a.stanza)).append(row("When", String.valueOf(a.occurredAt)))
                    .append(row("Severity", a.severity.wire())).append(row("Times", String.valueOf(a.occurrences)))
                    .append("</table><p><b>What happened:</b> ").append(escape(a.reason))
                    .append("</p><p><b>What to do:</b> ")
                    .append(escape(a.hint)).append("</p><hr>");
        }
        return out.append("<p><a href=\"").append(escape(dashboardUrl))
                .append("\">Open the dashboard</a></p></body></html>")
                .toString();
    }

    private static String row(String k, String v) {
        return "<tr><th align=\"left\">" + escape(k) + "</th><td>" + escape(v) + "</td></tr>";
    }

    static String escape(String s) {
        return s == null
                ? ""
                : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
