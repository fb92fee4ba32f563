-- A batch's submission rows, from the Arrow table the store registers as incoming_submissions.
INSERT INTO submissions BY NAME SELECT * FROM incoming_submissions
