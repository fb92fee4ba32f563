-- A batch's assessments, from the Arrow table the store registers as incoming_assessments.
INSERT INTO assessments BY NAME SELECT * FROM incoming_assessments
