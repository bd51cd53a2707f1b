-- perspective_balance per topic and ISO week, in Spark SQL, over the partitioned layout
-- (`extract --partitioned`): the views `articles` (topic and year from the folder names),
-- `digests` and `perspectives` are registered by tests/python/check_spark.py. CI checks that
-- it reproduces `biaslens analyze`'s perspective_balance exactly.
WITH live AS (
  SELECT digest_id, topic,
         concat(extract(YEAROFWEEK FROM digest_date), '-W', lpad(weekofyear(digest_date), 2, '0')) AS period,
         date_sub(digest_date, pmod(dayofweek(digest_date) + 5, 7)) AS period_start
  FROM digests WHERE NOT draft AND NOT superseded),
declared AS (
  SELECT DISTINCT l.topic, l.period, l.period_start, p.perspective_id
  FROM perspectives p JOIN live l USING (digest_id)),
counts AS (
  SELECT l.topic, l.period, a.perspective_id, count(*) AS articles
  FROM articles a JOIN live l USING (digest_id)
  WHERE a.perspective_id IS NOT NULL
  GROUP BY l.topic, l.period, a.perspective_id),
shares AS (
  SELECT d.topic, d.period, d.period_start, d.perspective_id, coalesce(c.articles, 0) AS articles,
         coalesce(c.articles, 0) / sum(coalesce(c.articles, 0)) OVER (PARTITION BY d.topic, d.period) AS share,
         count(*) OVER (PARTITION BY d.topic, d.period) AS k
  FROM declared d LEFT JOIN counts c
    ON d.topic = c.topic AND d.period = c.period AND d.perspective_id = c.perspective_id)
SELECT topic, period, period_start, date_add(period_start, 6) AS period_end, perspective_id, articles, share,
       CASE WHEN k > 1 THEN -sum(CASE WHEN share > 0 THEN share * ln(share) ELSE 0 END)
                                OVER (PARTITION BY topic, period) / ln(k) END AS balance_index
FROM shares
WHERE share IS NOT NULL
ORDER BY topic, period_start, perspective_id
