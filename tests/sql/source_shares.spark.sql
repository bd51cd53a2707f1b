-- source_shares per topic and ISO week, in Spark SQL, over the partitioned layout: the views
-- `articles` (topic and year from the folder names of `extract --partitioned`) and `digests`
-- are registered by tests/python/check_spark.py, which checks the result against the
-- source_shares partitions `biaslens analyze --partitioned` wrote (biaslens rounds shares to
-- six decimals).
WITH live AS (
  SELECT digest_id, topic,
         concat(extract(YEAROFWEEK FROM digest_date), '-W', lpad(weekofyear(digest_date), 2, '0')) AS period,
         date_sub(digest_date, pmod(dayofweek(digest_date) + 5, 7)) AS period_start
  FROM digests WHERE NOT draft AND NOT superseded),
counts AS (
  SELECT l.topic, l.period, l.period_start, a.perspective_id, a.outlet_id, count(*) AS articles
  FROM articles a JOIN live l USING (digest_id)
  GROUP BY l.topic, l.period, l.period_start, a.perspective_id, a.outlet_id)
SELECT topic, period, period_start, date_add(period_start, 6) AS period_end, perspective_id, outlet_id, articles,
       articles / sum(articles) OVER (PARTITION BY topic, period) AS share
FROM counts
ORDER BY topic, period_start, perspective_id, outlet_id
