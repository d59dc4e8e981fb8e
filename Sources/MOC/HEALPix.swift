import Foundation

/// HEALPix in the NESTED scheme (Górski et al. 2005, ApJ 622, 759): the pixel of a position,
/// positions inside a pixel (centre, corners), at orders 0…29 (nside = 2^order).
///
/// Positions are longitude/latitude in degrees (ICRS RA/Dec for RegTAP); internally z = sin(dec)
/// and phi = RA in radians.
public enum HEALPix {
    public static let maxOrder = 29

    // Face layout: the ring index (in units of nside) of each face's southernmost corner
    // minus one, and its longitude index (in units of pi/4).
    private static let jrll: [Int] = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]
    private static let jpll: [Int] = [1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7]

    /// Number of pixels at an order.
    public static func npix(order: Int) -> UInt64 { 12 << (2 * UInt64(order)) }

    /// The NESTED pixel holding (lon, lat) in degrees at `order`.
    public static func ang2pix(order: Int, lon: Double, lat: Double) -> UInt64 {
        let z = sin(lat * .pi / 180)
        var phi = (lon * .pi / 180).truncatingRemainder(dividingBy: 2 * .pi)
        if phi < 0 { phi += 2 * .pi }
        return zphi2pix(order: order, z: max(-1, min(1, z)), phi: phi)
    }

    static func zphi2pix(order: Int, z: Double, phi: Double) -> UInt64 {
        let nside = 1 << order
        let za = abs(z)
        var tt = phi / (.pi / 2)  // in [0,4)
        if tt >= 4 { tt -= 4 }
        if tt < 0 { tt += 4 }
        let face: Int, ix: Int, iy: Int
        if za <= 2.0 / 3.0 {
            let t1 = Double(nside) * (0.5 + tt)
            let t2 = Double(nside) * z * 0.75
            let jp = Int(t1 - t2)  // ascending edge line index
            let jm = Int(t1 + t2)  // descending edge line index
            let ifp = jp >> order
            let ifm = jm >> order
            if ifp == ifm {
                face = (ifp & 3) | 4
            } else if ifp < ifm {
                face = ifp & 3
            } else {
                face = (ifm & 3) + 8
            }
            ix = jm & (nside - 1)
            iy = nside - (jp & (nside - 1)) - 1
        } else {
            let ntt = min(3, Int(tt))
            let tp = tt - Double(ntt)
            let tmp = Double(nside) * sqrt(3 * (1 - za))
            let jp = min(nside - 1, Int(tp * tmp))
            let jm = min(nside - 1, Int((1 - tp) * tmp))
            if z >= 0 {
                face = ntt
                ix = nside - jm - 1
                iy = nside - jp - 1
            } else {
                face = ntt + 8
                ix = jp
                iy = jm
            }
        }
        return UInt64(face) << (2 * UInt64(order)) + interleave(UInt64(ix), UInt64(iy))
    }

    /// x bits to the even bit positions, y bits to the odd ones.
    static func interleave(_ x: UInt64, _ y: UInt64) -> UInt64 {
        spread(x) | (spread(y) << 1)
    }

    static func spread(_ v: UInt64) -> UInt64 {
        var x = v & 0xFFFF_FFFF
        x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x | (x << 2)) & 0x3333_3333_3333_3333
        x = (x | (x << 1)) & 0x5555_5555_5555_5555
        return x
    }

    static func compact(_ v: UInt64) -> UInt64 {
        var x = v & 0x5555_5555_5555_5555
        x = (x | (x >> 1)) & 0x3333_3333_3333_3333
        x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF
        return x
    }

    /// The position (lon, lat in degrees) at fractional offsets (dx, dy) ∈ [0,1]² inside a
    /// pixel: (0.5, 0.5) is the centre, the four combinations of 0 and 1 the corners.
    public static func position(order: Int, pixel: UInt64, dx: Double = 0.5, dy: Double = 0.5) -> (lon: Double, lat: Double) {
        let nside = Double(UInt64(1) << UInt64(order))
        let face = Int(pixel >> (2 * UInt64(order)))
        let local = pixel & ((UInt64(1) << (2 * UInt64(order))) - 1)
        let ix = Double(compact(local)), iy = Double(compact(local >> 1))
        let x = (ix + dx) / nside, y = (iy + dy) / nside
        let jr = Double(jrll[face]) - x - y
        let nr: Double, z: Double
        if jr < 1 {
            nr = jr
            z = 1 - nr * nr / 3
        } else if jr > 3 {
            nr = 4 - jr
            z = nr * nr / 3 - 1
        } else {
            nr = 1
            z = (2 - jr) * 2 / 3
        }
        var t = Double(jpll[face]) * nr + x - y
        if t < 0 { t += 8 }
        if t >= 8 { t -= 8 }
        let phi = nr < 1e-15 ? 0 : (.pi / 4 * t) / nr
        return (phi * 180 / .pi, asin(max(-1, min(1, z))) * 180 / .pi)
    }

    /// The pixel's four corners (lon, lat in degrees).
    public static func corners(order: Int, pixel: UInt64) -> [(lon: Double, lat: Double)] {
        [(1.0, 1.0), (0.0, 1.0), (0.0, 0.0), (1.0, 0.0)].map { position(order: order, pixel: pixel, dx: $0.0, dy: $0.1) }
    }
}

/// A unit vector on the sphere.
public struct Vec3: Sendable, Equatable {
    public var x, y, z: Double

    public init(x: Double, y: Double, z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// From longitude/latitude in degrees.
    public init(lon: Double, lat: Double) {
        let l = lon * .pi / 180, b = lat * .pi / 180
        self.init(x: cos(b) * cos(l), y: cos(b) * sin(l), z: sin(b))
    }

    func dot(_ o: Vec3) -> Double { x * o.x + y * o.y + z * o.z }
    func cross(_ o: Vec3) -> Vec3 { Vec3(x: y * o.z - z * o.y, y: z * o.x - x * o.z, z: x * o.y - y * o.x) }
    var norm: Double { (x * x + y * y + z * z).squareRoot() }
    func normalized() -> Vec3 {
        let n = norm
        return n == 0 ? self : Vec3(x: x / n, y: y / n, z: z / n)
    }

    /// Angular distance in radians (atan2 form: accurate for small and large angles).
    func angle(_ o: Vec3) -> Double { atan2(cross(o).norm, dot(o)) }
}
