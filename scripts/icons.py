#!/usr/bin/env python3
"""Draws the terminal's icons (pwa/icons/*.png) with the standard library only.

A dark blue tile with a white till receipt and a green tick: plain shapes that
stay legible at 48 px. The maskable icon keeps its drawing inside the central
80 % safe zone. Run it again only when the design changes; the PNGs are kept.
"""
import struct
import zlib
from pathlib import Path

BLUE, WHITE, GREEN = (15, 61, 99), (255, 255, 255), (46, 160, 67)


def draw(size: int, safe: float) -> list:
    rows = []
    inset = (1 - safe) / 2 * size
    s = size * safe
    for y in range(size):
        row = []
        for x in range(size):
            u, v = (x - inset) / s, (y - inset) / s
            colour = BLUE
            if 0.28 <= u <= 0.72 and 0.16 <= v <= 0.84:
                colour = WHITE
                if 0.36 <= u <= 0.64 and any(abs(v - line) < 0.022 for line in (0.28, 0.36, 0.44)):
                    colour = BLUE
            # A tick: two thick strokes.
            def near(ax, ay, bx, by, w=0.045):
                dx, dy = bx - ax, by - ay
                t = max(0.0, min(1.0, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)))
                return (u - ax - t * dx) ** 2 + (v - ay - t * dy) ** 2 < w * w
            if near(0.40, 0.62, 0.48, 0.72) or near(0.48, 0.72, 0.66, 0.52):
                colour = GREEN
            row.append(colour)
        rows.append(row)
    return rows


def png(rows: list) -> bytes:
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in rows)
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "pwa" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (out / f"icon-{size}.png").write_bytes(png(draw(size, 1.0)))
    (out / "icon-maskable-512.png").write_bytes(png(draw(512, 0.8)))
