"""The WXR reader returns the exact ratings and feedback of realistic exports and refuses what it cannot read."""

from __future__ import annotations

import tracemalloc
import weakref
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ascolto.errors import InvalidInput
from ascolto.importing import wxr
from ascolto.importing.wxr import PluginFeedback, PluginRatings, WordPressExport, WordPressPost, read_wxr

FIXTURES = Path(__file__).parent / "fixtures"


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[arg-type, misc]


def rmp(count: int, total: float) -> PluginRatings:
    return PluginRatings(plugin="rate-my-post", count=count, total=total)


def post(post_id: int, title: str, link: str, published: datetime | None, *, ratings: tuple[PluginRatings, ...] = (),
         feedback: tuple[PluginFeedback, ...] = (), post_type: str = "post", status: str = "publish") -> WordPressPost:
    return WordPressPost(post_id=post_id, post_type=post_type, status=status, title=title, link=link,
                         published=published, ratings=ratings, feedback=feedback)


def test_rate_my_post_export() -> None:
    export = read_wxr(FIXTURES / "rate-my-post.xml")

    blog = "https://blog.example.org"
    assert export == WordPressExport(
        site_url=blog,
        posts=(
            post(101, "Slow-cooker ragù", f"{blog}/2019/03/slow-cooker-ragu/", at(2019, 3, 10, 8, 30),
                 ratings=(rmp(12, 51),),
                 feedback=(
                     PluginFeedback("rate-my-post", "5c8a9b3d4e2f1",
                                    "Troppo poco sale per il mio gusto — però la salsa è perfetta. 美味しい！",
                                    at(2019, 3, 14, 18, 22, 5)),
                     PluginFeedback("rate-my-post", "5ca3133c1b7a2",
                                    '<script>alert("hi")</script> add more garlic & less wine', at(2019, 4, 2, 7, 45)),
                     PluginFeedback("rate-my-post", "5e278b0f9c4d8", '=HYPERLINK("http://evil.example/","click")',
                                    at(2020, 1, 21, 23, 59, 59)),
                 )),
            # before 2.7, one string of "<b>Feedback:</b> …<br />" entries, with no time and no id
            post(102, "Sourdough starter, day by day", f"{blog}/2019/05/sourdough-starter-day-by-day/",
                 at(2019, 5, 2, 6), ratings=(rmp(7, 30),),
                 feedback=(PluginFeedback("rate-my-post", "102-1", "Needs photos of day 3", None),
                           PluginFeedback("rate-my-post", "102-2", "What flour did you use?", None))),
            post(103, "Why my risotto was gluey", f"{blog}/2019/09/why-my-risotto-was-gluey/",
                 at(2019, 9, 14, 16, 45, 10), ratings=(rmp(1, 2),)),
            post(104, "Pantry staples I never run out of", f"{blog}/2020/01/pantry-staples/", at(2020, 1, 10, 12),
                 ratings=(rmp(3, 15),)),
            post(2, "About this blog", f"{blog}/about/", at(2019, 1, 1, 10), ratings=(rmp(4, 18),), post_type="page"),
            # the attachment (107, with votes) and the post without votes (106) are not returned
            post(105, "Fermenting hot sauce (notes)", f"{blog}/?p=105", None, ratings=(rmp(2, 9),), status="draft"),
        ),
        problems=(),
    )


def test_kk_star_ratings_export() -> None:
    export = read_wxr(FIXTURES / "kk-star-ratings.xml")

    blog = "https://coffee.example.com/blog"
    assert export == WordPressExport(
        site_url=blog,  # wp:base_blog_url, not wp:base_site_url
        posts=(
            # _kksr_casts/_kksr_ratings win over the _default pair that repeats them: counted once
            post(201, "Best pour-over kettles under €60", f"{blog}/best-pour-over-kettles/", at(2023, 2, 7, 9, 15),
                 ratings=(PluginRatings("kk-star-ratings", 5, 17.5),)),
            post(202, "Grinder shootout: burrs compared", f"{blog}/grinder-shootout/", at(2023, 5, 21, 18, 2, 33),
                 ratings=(PluginRatings("kk-star-ratings", 8, 33.5),)),
            # 203 has _kksr_casts "0": nothing to import, and nothing wrong
        ),
        problems=(),
    )


def test_wp_postratings_export_of_wxr_1_1() -> None:
    export = read_wxr(FIXTURES / "wp-postratings.xml")

    blog = "http://trail.example.net"
    assert export == WordPressExport(
        site_url=blog,
        posts=(
            post(301, "Fish & chips at the end of the Ridgeway", f"{blog}/2013/06/fish-chips-ridgeway/",
                 at(2013, 6, 15, 17, 20), ratings=(PluginRatings("wp-postratings", 10, 42),)),
            # a 10-point scale: the sum is reported as stored, the caller rescales
            post(302, "Pen y Fan before breakfast", f"{blog}/2014/03/pen-y-fan-before-breakfast/",
                 at(2014, 3, 9, 5, 48, 31), ratings=(PluginRatings("wp-postratings", 3, 21),)),
        ),
        problems=(),
    )


def test_mixed_export_of_wxr_1_0_with_problems() -> None:
    export = read_wxr(FIXTURES / "mixed.xml")

    blog = "https://blog.example.org"
    assert export.site_url == blog  # no wp:base_blog_url: the channel's <link>
    assert export.posts == (
        # Rate My Post migrated kk's numbers: each plugin's numbers come back on their own
        post(401, "Potatoes: earlies vs maincrop", f"{blog}/2010/04/potatoes-earlies-maincrop/",
             at(2010, 4, 11, 8, 12), ratings=(rmp(6, 25), PluginRatings("kk-star-ratings", 4, 14.5))),
        # the vote count is not a number: its ratings are left out, its feedback still comes back
        post(402, "Where the plot is", f"{blog}/2010/05/where-the-plot-is/", at(2010, 5, 2, 10),
             feedback=(PluginFeedback("rate-my-post", "61a5f7ad3c0e4", "The map link is broken",
                                      at(2021, 11, 30, 10, 5, 17)),)),
        post(42, "Slugs, again", f"{blog}/?p=42", at(2010, 6, 20, 19, 30),
             ratings=(PluginRatings("wp-postratings", 2, 7),)),
        post(405, "Saving seed", f"{blog}/2010/09/saving-seed/", at(2010, 9, 5, 16, 20), ratings=(rmp(5, 20),)),
        post(407, "Leeks in a trench", f"{blog}/2010/10/leeks-in-a-trench/", at(2010, 10, 24, 14),
             ratings=(rmp(3, 12),)),
    )
    assert export.problems == (
        "post 402: rmp_vote_count: 'twelve' is not a number",
        "post 403: rmp_rating_val_sum: sum 11 is outside 2..10 for 2 votes of 1 to 5 stars",
        "post 404: _kksr_casts: negative count -3",
        "post 405: rmp_feedback_val_new: unreadable serialized feedback (expected '\";' at byte 134)",
        "post 407: rmp_feedback_val_new: unreadable serialized feedback"
        " (refused 'O' (objects and references) at byte 9)",
    )


def test_reader_text_comes_back_verbatim_as_str() -> None:
    feedback = read_wxr(FIXTURES / "rate-my-post.xml").posts[0].feedback

    texts = [entry.text for entry in feedback]
    assert texts[1] == '<script>alert("hi")</script> add more garlic & less wine'
    assert texts[2] == '=HYPERLINK("http://evil.example/","click")'
    assert all(type(text) is str for text in texts)


def test_any_wordpress_export_namespace_version_is_read(tmp_path: Path) -> None:
    text = (FIXTURES / "kk-star-ratings.xml").read_text(encoding="utf-8")
    future = tmp_path / "future.xml"
    future.write_text(text.replace("http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.3/"), "utf-8")

    assert read_wxr(future) == read_wxr(FIXTURES / "kk-star-ratings.xml")


def test_problem_lines_are_single_lines(tmp_path: Path) -> None:
    export = minimal_export(tmp_path, '<wp:postmeta><wp:meta_key>rmp_vote_count</wp:meta_key>'
                                      '<wp:meta_value><![CDATA[3\nthree]]></wp:meta_value></wp:postmeta>')

    assert export.problems == ("post 9: rmp_vote_count: '3\\nthree' is not a number",)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&lol4;</title></channel></rss>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!-- a comment first -->
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&secret;</title></item></channel></rss>
"""
PLAIN_DOCTYPE = """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://example.com/rss.dtd">
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version></channel></rss>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY, PLAIN_DOCTYPE])
def test_a_doctype_is_refused_before_anything_is_read(tmp_path: Path, text: str, monkeypatch: Any) -> None:
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(wxr, "iterparse", refuse_to_parse)

    with pytest.raises(InvalidInput) as caught:
        read_wxr(path)

    assert caught.value.message == (
        f"{path}: has a DOCTYPE (entity declarations are refused); a WordPress export never has one"
    )
    assert caught.value.errors == {"file": [caught.value.message]}


def refuse_to_parse(*_: object, **__: object) -> None:
    raise AssertionError("the file was parsed past its DOCTYPE")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>A plain feed</title><item><title>x</title>'
         "</item></channel></rss>\n", "not a WordPress export (no wp: elements of http://wordpress.org/export/)"),
        ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title></feed>\n',
         "not a WordPress export (the root element is <feed>, not <rss>)"),
        ('<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<item>\n'
         "<title>cut off", "XML error at line 5, column 14: no element found"),
        ('<?xml version="1.0"?>\n<rss>\n<channel>\n<title>a & b</title></channel></rss>',
         "XML error at line 4, column 10: not well-formed (invalid token)"),
        ("", "XML error at line 1, column 0: no element found"),
    ],
)
def test_a_file_that_is_not_wxr_is_refused_with_one_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(InvalidInput) as caught:
        read_wxr(path)

    assert caught.value.message == f"{path}: {expected}"
    assert "\n" not in caught.value.message


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.xml"

    with pytest.raises(InvalidInput) as caught:
        read_wxr(path)

    assert caught.value.message == f"{path}: cannot be read: No such file or directory"


def minimal_export(tmp_path: Path, postmeta: str) -> WordPressExport:
    path = tmp_path / "small.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><link>https://small.example</link><item><title>t</title><link>https://small.example/t/</link>"
        "<wp:post_id>9</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>"
        f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>{postmeta}</item></channel></rss>",
        encoding="utf-8",
    )
    return read_wxr(path)


def generated_export(path: Path, items: int) -> Path:
    """Write an export of `items` posts with 2 kB of content each; one in 50 has votes."""
    body = "<p>" + "Slow cooking, slow reading. " * 72 + "</p>"
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Big</title>\n'
                  "<link>https://big.example</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n")
        for number in range(1, items + 1):
            meta = ""
            if number % 50 == 0:
                meta = ("<wp:postmeta><wp:meta_key>rmp_vote_count</wp:meta_key><wp:meta_value><![CDATA[4]]>"
                        "</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>rmp_rating_val_sum</wp:meta_key>"
                        "<wp:meta_value><![CDATA[17]]></wp:meta_value></wp:postmeta>")
            out.write(f"<item><title><![CDATA[Post {number}]]></title><link>https://big.example/p/{number}/</link>"
                      f"<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{number}</wp:post_id>"
                      "<wp:post_date_gmt><![CDATA[2021-06-01 12:00:00]]></wp:post_date_gmt>"
                      "<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>"
                      f"{meta}</item>\n")
        out.write("</channel>\n</rss>\n")
    return path


def test_a_large_export_is_streamed_item_by_item(tmp_path: Path, monkeypatch: Any) -> None:
    # given an export of 5,000 posts, and a watch on every <item> element the reader is handed
    path = generated_export(tmp_path / "big.xml", 5_000)
    seen: list[weakref.ref[Any]] = []
    most_alive = 0
    read_item = wxr._read_item

    def watching(item: Any, problems: list[str]) -> WordPressPost | None:
        nonlocal most_alive
        seen.append(weakref.ref(item))
        most_alive = max(most_alive, sum(ref() is not None for ref in seen[-200:]))
        return read_item(item, problems)

    monkeypatch.setattr(wxr, "_read_item", watching)

    # when it is read
    export = read_wxr(path)

    # then every post was read, but finished items were let go: never more than a handful alive at once
    assert len(seen) == 5_000
    assert len(export.posts) == 100
    assert export.posts[-1] == post(5_000, "Post 5000", "https://big.example/p/5000/", at(2021, 6, 1, 12),
                                    ratings=(rmp(4, 17),))
    assert most_alive <= 5, most_alive


def test_memory_does_not_grow_with_the_number_of_items(tmp_path: Path) -> None:
    # ten times the items must not cost anywhere near ten times the memory (a ratio, measured in one run)
    small = generated_export(tmp_path / "small.xml", 500)
    large = generated_export(tmp_path / "large.xml", 5_000)

    def peak(path: Path) -> int:
        tracemalloc.start()
        try:
            read_wxr(path)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small_peak, large_peak = peak(small), peak(large)
    assert large.stat().st_size > 9 * small.stat().st_size
    assert large_peak < 2 * small_peak, (small_peak, large_peak)


def meta(*pairs: tuple[str, str]) -> str:
    return "".join(f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value><![CDATA[{value}]]></wp:meta_value>"
                   "</wp:postmeta>" for key, value in pairs)


@pytest.mark.parametrize(
    ("pairs", "problem"),
    [
        ((("rmp_vote_count", "3.5"), ("rmp_rating_val_sum", "12")),
         "post 9: rmp_vote_count: '3.5' is not a whole number"),
        ((("rmp_vote_count", "3"), ("rmp_rating_val_sum", "")), "post 9: rmp_rating_val_sum: '' is not a number"),
        ((("rmp_vote_count", "3"),), "post 9: rmp_rating_val_sum: missing while rmp_vote_count is 3"),
        ((("_kksr_ratings", "12"),), "post 9: _kksr_casts: missing while _kksr_ratings is '12'"),
        ((("_kksr_casts", "4"), ("_kksr_ratings", "3.5")),
         "post 9: _kksr_ratings: sum 3.5 is outside 4..20 for 4 votes of 1 to 5 stars"),
        ((("ratings_users", "2"), ("ratings_score", "21")),
         "post 9: ratings_score: sum 21 is outside 2..20 for 2 votes of 1 to 10 stars"),
        ((("rmp_feedback_val_new", 'a:1:{i:0;s:3:"odd";}'),),
         "post 9: rmp_feedback_val_new: entry 0 has no feedback text"),
        ((("rmp_feedback_val_new", "i:3;"),), "post 9: rmp_feedback_val_new: serialized feedback is not an array"),
    ],
)
def test_each_bad_value_is_one_problem_and_is_left_out(tmp_path: Path, pairs: tuple[tuple[str, str], ...],
                                                       problem: str) -> None:
    export = minimal_export(tmp_path, meta(*pairs))

    assert export.problems == (problem,)
    assert export.posts == ()


def test_feedback_without_a_usable_id_or_time_gets_a_stable_id(tmp_path: Path) -> None:
    entries = ('a:3:{i:0;a:3:{s:8:"feedback";s:5:"first";s:4:"time";b:0;s:2:"id";b:0;}'
               'i:1;a:2:{s:8:"feedback";s:6:"second";s:2:"id";s:13:"61a5f7ad3c0e4";}'
               'i:2;a:3:{s:8:"feedback";s:5:"third";s:4:"time";s:9:"yesterday";s:2:"id";s:13:"61a5f7ad3c0e4";}}')
    # maybe_serialize() wraps an already serialized string once more
    wrapped = f's:{len(entries)}:"{entries}";'

    for value in (entries, wrapped):
        export = minimal_export(tmp_path, meta(("rmp_feedback_val_new", value)))

        assert export.problems == ()
        assert export.posts[0].ratings == ()
        assert export.posts[0].feedback == (
            PluginFeedback("rate-my-post", "9-1", "first", None),
            PluginFeedback("rate-my-post", "61a5f7ad3c0e4", "second", None),
            PluginFeedback("rate-my-post", "9-3", "third", None),  # the plugin's id again: not unique, not used
        )
