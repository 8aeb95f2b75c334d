INSERT INTO t VALUES (E'a\';b', 'c'';d', "e;f", `g;h`, [i;j]);
SELECT 1;