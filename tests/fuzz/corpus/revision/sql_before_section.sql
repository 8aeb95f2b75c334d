-- retort revision 0005_bad
CREATE TABLE x (a INTEGER);
