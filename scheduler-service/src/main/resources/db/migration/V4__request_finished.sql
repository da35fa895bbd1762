-- Whether the last event about a tracked request ended it (BackupEvent.terminal()), so the status
-- API and the "terminal wins" rule do not each keep their own list of terminal type names.
ALTER TABLE tracked_request ADD COLUMN finished boolean NOT NULL DEFAULT false;
UPDATE tracked_request SET finished = true
 WHERE last_event_type IN ('BackupCompleted', 'BackupFailed', 'BackupSkipped', 'RestoreCompleted', 'RestoreFailed');
