-- themes' counts per topic, ISO week, section and theme, in Spark SQL, over the partitioned
-- layout: the items (every highlight of a live digest, and the title of every article of
-- known side, under its side) from the views `highlights`, `articles` and `digests` of
-- `extract --partitioned`, and the themes each item names from the view `item_themes` of
-- `analyze --partitioned` (topic from its folder names). tests/python/check_spark.py
-- checks mentions, items and share of every row with a mention, and the items of every
-- topic-period-section, against the themes partitions biaslens wrote.
WITH live AS (
  SELECT digest_id, topic,
         concat(extract(YEAROFWEEK FROM digest_date), '-W', lpad(weekofyear(digest_date), 2, '0')) AS period,
         date_sub(digest_date, pmod(dayofweek(digest_date) + 5, 7)) AS period_start
  FROM digests WHERE NOT draft AND NOT superseded),
items AS (
  SELECT l.topic, l.period, l.period_start, h.section, h.digest_id, h.position, 'highlight' AS kind
  FROM highlights h JOIN live l USING (digest_id)
  UNION ALL
  SELECT l.topic, l.period, l.period_start, a.perspective_id AS section, a.digest_id, a.position, 'title' AS kind
  FROM articles a JOIN live l USING (digest_id)
  WHERE a.perspective_id IS NOT NULL),
totals AS (
  SELECT topic, period, period_start, section, count(*) AS items
  FROM items GROUP BY topic, period, period_start, section),
named AS (
  SELECT DISTINCT i.topic, i.period, i.period_start, i.section, i.digest_id, i.position, i.kind, t.theme
  FROM items i JOIN item_themes t
    ON i.digest_id = t.digest_id AND i.section = t.section AND i.position = t.position AND i.kind = t.kind),
mentions AS (
  SELECT topic, period, section, theme, count(*) AS mentions
  FROM named GROUP BY topic, period, section, theme)
SELECT t.topic, t.period, t.period_start, t.section, m.theme, coalesce(m.mentions, 0) AS mentions, t.items,
       coalesce(m.mentions, 0) / t.items AS share
FROM totals t LEFT JOIN mentions m ON t.topic = m.topic AND t.period = m.period AND t.section = m.section
ORDER BY t.topic, t.period_start, t.section, m.theme
