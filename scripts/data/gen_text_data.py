#!/usr/bin/env python3
"""Builds the data files of XiezuoText (document repair) into Sources/XiezuoText/Resources/.

Sources (all installed from PyPI, none downloaded at run time):
  - GBK code table: Python's own `gbk` codec (PSF licence); user-defined areas marked so the decoder can drop them.
  - Readings per character: pypinyin 0.55.0 (MIT), every reading of each character, with tone marks.
  - Traditional→Simplified: OpenCC 1.x Python wheel (Apache-2.0), character by character (t2s), plus the
    characters a naive Simplified→Traditional converter maps onto the same Traditional form (s2t inverted).
  - Language model: character unigram and in-word bigram counts derived from jieba 0.42.1's dict.txt (MIT).

Run: python3 -m venv /tmp/dv && /tmp/dv/bin/pip install pypinyin==0.55.0 opencc jieba==0.42.1 &&
     /tmp/dv/bin/python scripts/data/gen_text_data.py
"""
import math
import os
import struct
import sys

import jieba
import opencc
from pypinyin import Style, pinyin

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "XiezuoText", "Resources")
VANISH = 0xFFFFFFFF


def pua(lead, trail):
    return (0xAA <= lead <= 0xAF and 0xA1 <= trail <= 0xFE) or (0xF8 <= lead <= 0xFE and 0xA1 <= trail <= 0xFE) \
        or (0xA1 <= lead <= 0xA7 and 0x40 <= trail <= 0xA0)


def gbk_table():
    table = []
    chars = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            value = 0
            if trail != 0x7F:
                try:
                    ch = bytes([lead, trail]).decode("gbk")
                    value = ord(ch)
                    chars.setdefault(ch, (lead, trail))
                except UnicodeDecodeError:
                    # A well-formed pair with no GBK character: Windows' cp936 gives a private-use character
                    # (user-defined areas and unassigned cells), which the pipeline then dropped.
                    value = VANISH
            table.append(value)
    return table, chars


def is_cjk(ch):
    o = ord(ch)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def main():
    os.makedirs(OUT, exist_ok=True)
    table, chars = gbk_table()
    with open(os.path.join(OUT, "gbk.bin"), "wb") as f:
        f.write(struct.pack("<%dI" % len(table), *table))
    cjk = sorted(c for c in chars if is_cjk(c))

    with open(os.path.join(OUT, "readings.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for c in cjk:
            r = pinyin(c, style=Style.TONE, heteronym=True, errors="ignore")
            if r and r[0]:
                f.write(c + "\t" + ",".join(dict.fromkeys(r[0])) + "\n")

    t2s = opencc.OpenCC("t2s")
    s2t = opencc.OpenCC("s2t")
    gb2312 = set()
    for c in cjk:
        try:
            c.encode("gb2312"); gb2312.add(c)
        except UnicodeEncodeError:
            pass
    alternatives = {}
    for c in cjk:
        s = t2s.convert(c)
        if len(s) == 1 and s != c:
            alternatives.setdefault(c, []).append(s)
    for s in gb2312:
        t = s2t.convert(s)
        if len(t) == 1 and t != s:
            alts = alternatives.setdefault(t, [])
            if s not in alts:
                alts.append(s)
    with open(os.path.join(OUT, "t2s.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for t in sorted(alternatives):
            alts = alternatives[t]
            if t in gb2312 and t not in alts:
                alts.append(t)  # the Traditional-looking form is also a valid Simplified character (乾, 著 …)
            f.write(t + "\t" + "".join(alts) + "\n")

    uni, bi = {}, {}
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            w, n = parts[0], int(parts[1])
            if not all(is_cjk(c) for c in w):
                continue
            for c in w:
                uni[c] = uni.get(c, 0) + n
            for a, b in zip(w, w[1:]):
                bi[a + b] = bi.get(a + b, 0) + n
    total = sum(uni.values())
    # Unigrams: char, count. Bigrams kept when seen at least 5 times (weighted by word frequency).
    with open(os.path.join(OUT, "lm-unigrams.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("#total\t%d\n" % total)
        for c in sorted(uni, key=lambda c: -uni[c]):
            f.write("%s\t%d\n" % (c, uni[c]))
    kept = sorted((k for k, v in bi.items() if v >= 5), key=lambda k: (ord(k[0]), ord(k[1])))
    with open(os.path.join(OUT, "lm-bigrams.bin"), "wb") as f:
        for k in kept:
            f.write(struct.pack("<IIf", ord(k[0]), ord(k[1]), math.log(bi[k])))
    print("gbk %d, readings %d, t2s %d, unigrams %d, bigrams %d" % (len(table), len(cjk), len(alternatives), len(uni), len(kept)),
          file=sys.stderr)


main()
