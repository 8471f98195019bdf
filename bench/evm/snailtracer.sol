// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// A small ray tracer in the spirit of SnailTracer, written for the EVM benchmark: fixed-point
/// (1e6) vectors kept in locals, five spheres (a floor, mirrors), Lambert shading with shadow
/// rays and up to two reflections, an integer square root by Newton's method. Benchmark()
/// renders a 32×24 grey image and returns its bytes.
contract SnailTracer {
    int256 constant S = 1e6;
    uint256 constant W = 32;
    uint256 constant H = 24;
    uint256 constant N = 5;
    int256 constant EPS = 1000;

    function sqrtS(int256 v) internal pure returns (int256) {
        if (v <= 0) return 0;
        uint256 x = uint256(v) * uint256(S);
        uint256 z = (x + 1) / 2;
        uint256 y = x;
        while (z < y) {
            y = z;
            z = (x / z + z) / 2;
        }
        return int256(y);
    }

    function dot(int256 ax, int256 ay, int256 az, int256 bx, int256 by, int256 bz) internal pure returns (int256) {
        return (ax * bx + ay * by + az * bz) / S;
    }

    function norm(int256 x, int256 y, int256 z) internal pure returns (int256, int256, int256) {
        int256 l = sqrtS(dot(x, y, z, x, y, z));
        if (l == 0) return (0, 0, 0);
        return ((x * S) / l, (y * S) / l, (z * S) / l);
    }

    /// Sphere i: centre, radius, albedo, reflectivity (fixed point).
    function sphere(uint256 i) internal pure returns (int256, int256, int256, int256, int256, int256) {
        if (i == 0) return (0, -1000 * S, 0, 1000 * S, (6 * S) / 10, 0);
        if (i == 1) return (0, S, 3 * S, S, (9 * S) / 10, S / 2);
        if (i == 2) return ((-22 * S) / 10, (7 * S) / 10, (25 * S) / 10, (7 * S) / 10, (7 * S) / 10, 0);
        if (i == 3) return (2 * S, (6 * S) / 10, 2 * S, (6 * S) / 10, (8 * S) / 10, (3 * S) / 10);
        return ((3 * S) / 10, (3 * S) / 10, S / 2, (3 * S) / 10, S, 0);
    }

    function hit(uint256 i, int256 ox, int256 oy, int256 oz, int256 dx, int256 dy, int256 dz) internal pure returns (int256 t) {
        (int256 cx, int256 cy, int256 cz, int256 r, , ) = sphere(i);
        int256 px = ox - cx;
        int256 py = oy - cy;
        int256 pz = oz - cz;
        int256 b = dot(px, py, pz, dx, dy, dz);
        int256 disc = (b * b) / S - (dot(px, py, pz, px, py, pz) - (r * r) / S);
        if (disc < 0) return 0;
        int256 sq = sqrtS(disc);
        t = -b - sq;
        if (t > EPS) return t;
        t = -b + sq;
        if (t > EPS) return t;
        return 0;
    }

    function nearest(int256 ox, int256 oy, int256 oz, int256 dx, int256 dy, int256 dz) internal pure returns (uint256 idx, int256 best) {
        for (uint256 i = 0; i < N; i++) {
            int256 t = hit(i, ox, oy, oz, dx, dy, dz);
            if (t != 0 && (best == 0 || t < best)) {
                best = t;
                idx = i;
            }
        }
    }

    function trace(int256 ox, int256 oy, int256 oz, int256 dx, int256 dy, int256 dz, uint256 depth) internal pure returns (int256) {
        (uint256 idx, int256 t) = nearest(ox, oy, oz, dx, dy, dz);
        if (t == 0) return S / 4 + (dy > 0 ? dy / 2 : int256(0));
        return shade(idx, ox + (dx * t) / S, oy + (dy * t) / S, oz + (dz * t) / S, dx, dy, dz, depth);
    }

    function normalAt(uint256 idx, int256 px, int256 py, int256 pz) internal pure returns (int256, int256, int256) {
        (int256 cx, int256 cy, int256 cz, , , ) = sphere(idx);
        return norm(px - cx, py - cy, pz - cz);
    }

    function lit(uint256 idx, int256 px, int256 py, int256 pz, int256 nx, int256 ny, int256 nz) internal pure returns (int256) {
        (int256 lx, int256 ly, int256 lz) = norm(-3 * S - px, 6 * S - py, -2 * S - pz);
        int256 diff = dot(nx, ny, nz, lx, ly, lz);
        if (diff < 0) diff = 0;
        (, int256 st) = nearest(px, py, pz, lx, ly, lz);
        if (st != 0) diff /= 4;
        (, , , , int256 albedo, ) = sphere(idx);
        return (albedo * (S / 10 + (diff * 9) / 10)) / S;
    }

    function shade(uint256 idx, int256 px, int256 py, int256 pz, int256 dx, int256 dy, int256 dz, uint256 depth) internal pure returns (int256 c) {
        (int256 nx, int256 ny, int256 nz) = normalAt(idx, px, py, pz);
        c = lit(idx, px, py, pz, nx, ny, nz);
        (, , , , , int256 refl) = sphere(idx);
        if (refl > 0 && depth < 2) {
            int256 k = 2 * dot(dx, dy, dz, nx, ny, nz);
            int256 m = trace(px, py, pz, dx - (nx * k) / S, dy - (ny * k) / S, dz - (nz * k) / S, depth + 1);
            c = (c * (S - refl) + m * refl) / S;
        }
    }

    function Benchmark() external pure returns (bytes memory img) {
        img = new bytes(W * H);
        for (uint256 y = 0; y < H; y++) {
            for (uint256 x = 0; x < W; x++) {
                (int256 dx, int256 dy, int256 dz) = norm(((int256(x) - int256(W / 2)) * S) / int256(H), ((int256(H / 2) - int256(y)) * S) / int256(H), S);
                int256 v = trace(0, S, -4 * S, dx, dy, dz, 0);
                if (v > S) v = S;
                if (v < 0) v = 0;
                img[y * W + x] = bytes1(uint8(uint256((v * 255) / S)));
            }
        }
    }
}
