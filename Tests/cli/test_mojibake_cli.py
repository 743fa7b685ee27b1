"""Text decoded with the wrong character set, garbled here by Python's own codecs (a different program from the
repair), mended by `xiezuo repair`, and measured side by side with ftfy on the same files. Run directly
(`scripts/eval-mojibake`) it prints the table recorded in docs/TEXT-REPAIR.md."""
import difflib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("XIEZUO_BIN", os.path.join(ROOT, ".build", "debug", "xiezuo"))
FIXTURES = os.path.join(ROOT, "Tests", "XiezuoTextTests", "Fixtures")


def sloppy_1252(data):
    """Windows-1252 as browsers and ftfy read it: the five undefined bytes become the C1 controls."""
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


# How each kind of garbling is made: what offices receive.
KINDS = {
    "utf8-as-gb18030": lambda t: t.encode("utf-8").decode("gb18030", errors="replace"),
    "utf8-as-gbk-lossy": lambda t: t.encode("utf-8").decode("gbk", errors="replace"),
    "gbk-as-latin1": lambda t: t.encode("gbk").decode("latin-1"),
    "gbk-as-cp1252": lambda t: sloppy_1252(t.encode("gbk")),
    "utf8-double": lambda t: sloppy_1252(t.encode("utf-8")),
    # Every other sentence garbled: a page put together from two sources.
    "mixed-sentences": lambda t: "。".join(
        s.encode("utf-8").decode("gb18030", errors="replace") if i % 2 else s for i, s in enumerate(t.split("。"))),
}


def documents(part):
    folder = os.path.join(FIXTURES, part)
    return [open(os.path.join(folder, n), encoding="utf-8").read() for n in sorted(os.listdir(folder)) if n.endswith(".txt")]


def differing(got, want):
    """Characters that differ: the longer side of every stretch difflib does not match."""
    ops = difflib.SequenceMatcher(None, got, want, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


def repair_all(texts):
    lines = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
    r = subprocess.run([BIN, "repair", "--jsonl"], input=lines.encode(), capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr.decode()
    return [json.loads(l)["text"] for l in r.stdout.decode().splitlines()]


def table(parts=("corpus/dev", "corpus/test")):
    """Per kind: characters, differing after our repair, after ftfy, and as garbled."""
    import ftfy
    clean = [t for p in parts for t in documents(p)]
    total = sum(len(t) for t in clean)
    rows = {}
    for kind, garble in KINDS.items():
        garbled = [garble(t) for t in clean]
        ours = repair_all(garbled)
        # ftfy's encoding repair alone: its other fixes (straight quotes, half-width forms) would change clean text.
        theirs = [ftfy.fix_encoding(g) for g in garbled]
        rows[kind] = {
            "characters": total,
            "xiezuo": sum(differing(o, c) for o, c in zip(ours, clean)),
            "ftfy": sum(differing(o, c) for o, c in zip(theirs, clean)),
            "garbled": sum(differing(g, c) for g, c in zip(garbled, clean)),
        }
    return rows


def test_wrong_character_sets_are_mended_at_least_as_well_as_ftfy_does():
    rows = table()
    for kind, r in rows.items():
        rate = r["xiezuo"] / r["characters"]
        # Lossless readings come back whole; a lossy GBK decode keeps most of it (what its U+FFFD lost is guessed).
        limit = 0.05 if "lossy" in kind or "gb18030" in kind or "mixed" in kind else 0.002
        assert rate <= limit, f"{kind}: {rate:.3%} of characters wrong after repair"
        assert r["xiezuo"] <= r["ftfy"], f"{kind}: ftfy does better ({r['ftfy']} vs {r['xiezuo']})"


def test_clean_text_stays_as_it_is_where_ftfy_would_change_it_too():
    folder = os.path.join(FIXTURES, "controls")
    names = sorted(os.listdir(folder))
    texts = [open(os.path.join(folder, n), encoding="utf-8").read() for n in names]
    for name, t, out in zip(names, texts, repair_all(texts)):
        assert out == t, name


if __name__ == "__main__":
    for part in sys.argv[1:] or ["corpus/dev", "corpus/test"]:
        print(f"{part}: {'kind':<20}{'characters':>12}{'garbled':>10}{'xiezuo':>10}{'ftfy':>10}   (characters differing from the clean text)")
        for kind, r in table((part,)).items():
            print(f"{part}: {kind:<20}{r['characters']:>12}{r['garbled']:>10}{r['xiezuo']:>10}{r['ftfy']:>10}"
                  f"   {r['xiezuo'] / r['characters']:.3%} vs {r['ftfy'] / r['characters']:.3%}")
