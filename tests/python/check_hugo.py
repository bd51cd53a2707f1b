"""Publishes a weekly report in a minimal Hugo site and checks what a reader would get.

    python3 tests/python/check_hugo.py REPORT_DIR

The site has a plain layout with no CSS at all, the hardest case for images: the report
folder goes to content/reports/<week>/ as it is, Debian's `hugo` builds it, and the check
fails unless
- the report page is built at /reports/<week>/ with its title, and its frontmatter date is
  the week's Monday (the generation time is `lastmod`);
- every chart image is there, displays at the content width (`width="100%"`), and its file
  was published where the page points;
- every chart's CSV link resolves too.
"""

import pathlib
import re
import shutil
import subprocess
import sys
import tempfile


def main(report_dir: str) -> int:
    report = pathlib.Path(report_dir)
    week = report.name
    site = pathlib.Path(tempfile.mkdtemp(prefix="biaslens-hugo-"))
    (site / "layouts/_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "http://example.org/"\ntitle = "digests"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
    )
    # The plainest theme there is: no stylesheet, images at whatever size they ask for.
    (site / "layouts/_default/single.html").write_text(
        "<!doctype html><html><head><title>{{ .Title }}</title></head>"
        '<body><main>{{ .Content }}</main><p id="date">{{ .Date.Format "2006-01-02" }}</p>'
        '<p id="lastmod">{{ .Lastmod.Format "2006-01-02T15:04:05Z07:00" }}</p></body></html>\n'
    )
    (site / "layouts/_default/list.html").write_text(
        "<!doctype html><html><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</body></html>\n"
    )
    shutil.copytree(report, site / "content/reports" / week)
    subprocess.run(["hugo", "--quiet", "--source", str(site)], check=True)

    failures = []
    page_dir = site / "public/reports" / week.lower()
    page = page_dir / "index.html"
    if not page.is_file():
        print(f"FAIL no page at {page.relative_to(site)}")
        return 1
    html = page.read_text(encoding="utf-8")
    if f"Media bias report {week}" not in html:
        failures.append("the page has no report title")
    frontmatter = (report / "index.md").read_text(encoding="utf-8").split("---")[1]
    date = re.search(r"^date: (\S+)", frontmatter, re.M).group(1)
    if re.search(r'<p id="date">([^<]*)</p>', html).group(1) != date:
        failures.append(f"the page's date is not the week's Monday {date}")
    images = re.findall(r"<img[^>]*>", html)
    if not images:
        failures.append("the page shows no chart")
    for img in images:
        src = re.search(r'src="([^"]+)"', img).group(1)
        if 'width="100%"' not in img:
            failures.append(f"{src}: no width, so it shows at its 1,920 pixels")
        if not (page_dir / src).is_file():
            failures.append(f"{src}: not published next to the page")
    for href in re.findall(r'href="(tables/[^"]+\.csv)"', html):
        if not (page_dir / href).is_file():
            failures.append(f"{href}: the data link is broken")
    for f in failures:
        print(f"FAIL {f}")
    print(f"hugo: {page.relative_to(site)} with {len(images)} charts: {len(failures)} failures")
    shutil.rmtree(site)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
