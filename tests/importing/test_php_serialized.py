"""The PHP serialize() reader reads scalars and arrays and refuses objects, references and malformed data."""

from __future__ import annotations

import pytest

from ascolto.importing.php_serialized import MAX_DEPTH, loads


def test_scalars() -> None:
    assert loads("N;") is None
    assert loads("b:1;") is True
    assert loads("b:0;") is False
    assert loads("i:-42;") == -42
    assert loads("d:17.5;") == 17.5
    assert loads("d:1.0E+25;") == 1e25
    assert loads('s:5:"hello";') == "hello"
    assert loads('s:0:"";') == ""


def test_string_length_counts_utf8_bytes_not_characters() -> None:
    # "però 美味しい" is 9 characters and 18 bytes of UTF-8
    assert loads('s:18:"però 美味しい";') == "però 美味しい"
    assert loads('s:18:"però 美味しい";'.encode()) == "però 美味しい"
    with pytest.raises(ValueError):
        loads('s:9:"però 美味しい";')


def test_string_may_hold_quotes_and_semicolons() -> None:
    text = 'say "hi"; then a:1:{} and }'
    assert loads(f's:{len(text.encode())}:"{text}";') == text


def test_arrays_keep_keys_and_order() -> None:
    value = loads('a:3:{i:2;s:1:"x";s:4:"time";s:19:"14-03-2019 18:22:05";i:0;a:1:{s:2:"id";b:0;}}')
    assert value == {2: "x", "time": "14-03-2019 18:22:05", 0: {"id": False}}
    assert list(value) == [2, "time", 0]  # type: ignore[arg-type]


def test_arrays_nested_up_to_the_limit_and_no_deeper() -> None:
    def nested(depth: int) -> str:
        return "a:1:{i:0;" * depth + "N;" + "}" * depth

    value = loads(nested(MAX_DEPTH))
    for _ in range(MAX_DEPTH):
        assert isinstance(value, dict)
        value = value[0]
    assert value is None
    with pytest.raises(ValueError, match="nested deeper"):
        loads(nested(MAX_DEPTH + 1))


@pytest.mark.parametrize(
    "data",
    [
        'O:8:"stdClass":1:{s:1:"a";i:1;}',  # object: would name a class to build
        'a:1:{i:0;O:8:"stdClass":0:{}}',  # object inside an array
        'C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}',  # custom-serialized object
        'a:2:{i:0;s:1:"x";i:1;r:2;}',  # reference
        'a:2:{i:0;s:1:"x";i:1;R:2;}',  # reference
        'E:7:"Foo:Bar";',  # enum case (PHP 8.1)
    ],
)
def test_objects_and_references_are_refused(data: str) -> None:
    with pytest.raises(ValueError, match="refused"):
        loads(data)


@pytest.mark.parametrize(
    "data",
    [
        "",
        "i:12",  # no terminator
        "i:1x;",
        "i:;",
        "d:NAN;",
        "d:INF;",
        "b:2;",
        's:5:"abc";',  # length runs past the end
        's:3:"abcdef";',  # length too short: the closing quote is not where it should be
        's:-1:"";',
        "a:2:{i:0;N;}",  # fewer entries than announced
        "a:1:{i:0;N;i:1;N;}",  # more entries than announced
        "a:99999999:{}",  # a size the data cannot hold
        "a:1:{a:0:{}N;}",  # array as a key
        "a:1:{b:1;N;}",  # boolean as a key
        "a:1:{i:0;N;",  # unclosed
        "N;N;",  # trailing data
        'x:1:"a";',
        b's:2:"\xff\xfe";',  # not UTF-8
    ],
)
def test_malformed_data_raises_value_error(data: str | bytes) -> None:
    with pytest.raises(ValueError):
        loads(data)


def test_rate_my_post_feedback_array() -> None:
    # as Rate My Post stores it: a list of entries with feedback, time, id, user and ratingID
    raw = (
        'a:1:{i:0;a:5:{s:8:"feedback";s:22:"The map link is broken";s:4:"time";s:19:"30-11-2021 10:05:17";'
        's:2:"id";s:13:"61a5f7ad3c0e4";s:4:"user";b:0;s:8:"ratingID";i:88;}}'
    )
    assert loads(raw) == {
        0: {"feedback": "The map link is broken", "time": "30-11-2021 10:05:17", "id": "61a5f7ad3c0e4",
            "user": False, "ratingID": 88}
    }
