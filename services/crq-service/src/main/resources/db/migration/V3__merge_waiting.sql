-- Why merge-bot holds an approved CRQ in its merge queue (MergeWaiting), until it merges or blocks it.
ALTER TABLE change_request ADD COLUMN waiting_reason TEXT;
