"""The `xiezuo repair` command as a user runs it: files, standard input, JSON lines, bad input."""
import json
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("XIEZUO_BIN", os.path.join(ROOT, ".build", "debug", "xiezuo"))
SEED = os.path.join(ROOT, "..", "shared", "seed", "seed-article.txt")
CONTROLS = os.path.join(ROOT, "Tests", "XiezuoTextTests", "Fixtures", "controls")


def run(args, data=b""):
    return subprocess.run([BIN, "repair", *args], input=data, capture_output=True, timeout=120)


def test_clean_text_comes_back_byte_for_byte():
    for name in sorted(os.listdir(CONTROLS)):
        data = open(os.path.join(CONTROLS, name), "rb").read()
        r = run([], data)
        assert r.returncode == 0 and r.stdout == data, name


def test_garbled_text_from_a_file_with_a_report():
    r = run(["--explain", "/dev/stdin"], "協(xié)作會(huì)議進(jìn)行,取得新進(jìn)展。".encode())
    assert r.returncode == 0
    assert r.stdout.decode() == "协作会议进行，取得新进展。"
    report = json.loads(r.stderr)
    assert report["garbled"] is True
    assert {c["step"] for c in report["changes"]} == {"pinyin", "traditional", "punctuation"}


def test_bad_input_gets_a_clear_error_and_no_crash():
    r = run([], b"\xff\xfe\xfa abc")
    assert r.returncode != 0 and "UTF-8" in r.stderr.decode()
    r = run([], b"")
    assert r.returncode == 0 and r.stdout == b""
    r = run(["/nonexistent/file.txt"])
    assert r.returncode != 0 and "cannot read" in r.stderr.decode()


def test_json_lines_keep_order_and_report_bad_lines():
    lines = [json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in
             enumerate(["協(xié)作會(huì)議進(jìn)行", "干净的文本。", "English, with commas."] * 400)]
    lines.insert(5, "not json at all")
    r = run(["--jsonl"], ("\n".join(lines) + "\n").encode())
    assert r.returncode == 1  # one line could not be read
    out = r.stdout.decode().splitlines()
    assert len(out) == len(lines)
    assert out[5] == "not json at all"
    records = [json.loads(l) for i, l in enumerate(out) if i != 5]
    assert [rec["id"] for rec in records] == list(range(1200))
    assert records[0]["text"] == "协作会议进行" and records[0]["repair"]["garbled"] is True
    assert records[2]["text"] == "English, with commas." and records[2]["repair"]["garbled"] is False
    assert "line 6" in r.stderr.decode()


def test_seed_article():
    if not os.path.exists(SEED):
        pytest.skip("the shared seed article is not beside this checkout")
    r = run([SEED])
    out = r.stdout.decode()
    assert r.returncode == 0
    assert out.startswith("佛山日报讯 6月3日至4日，贵州省党政代表团来广东考察。")
    assert "(" not in out and "?" not in out


def test_an_unsolved_stretch_is_listed_in_json_lines_and_marked_in_the_text():
    line = json.dumps({"text": "協(xié)作會(huì)議A?zhuàng)進(jìn)行"}, ensure_ascii=False) + "\n"
    r = run(["--jsonl"], line.encode())
    assert r.returncode == 0
    rec = json.loads(r.stdout)
    assert rec["text"] == "协作会议A□进行"
    [u] = rec["repair"]["unsolved"]
    assert u["text"] == "?zhuàng)" and u["shown"] == "□" and "状" in u["candidates"][0]
    assert rec["repair"]["verdict"] == "pipeline"

