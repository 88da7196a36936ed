-- Whether an exec's tmux window stays open once its command ended: by default it is closed as soon as the end is
-- recorded (an idle shell per exec used to be left behind); a request may ask to keep it.
ALTER TABLE managed_exec ADD COLUMN keep_pane BOOLEAN NOT NULL DEFAULT FALSE;
