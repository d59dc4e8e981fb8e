import Foundation

/// An ADQL geometry on the celestial sphere (degrees), or a MOC.
public enum Region: Sendable, Equatable {
    case point(lon: Double, lat: Double)
    case circle(lon: Double, lat: Double, radius: Double)
    /// Vertices in order; edges are great-circle arcs (ADQL/DALI polygons).
    case polygon([(lon: Double, lat: Double)])
    case moc(MOC)

    public static func == (a: Region, b: Region) -> Bool {
        switch (a, b) {
        case let (.point(a1, a2), .point(b1, b2)): a1 == b1 && a2 == b2
        case let (.circle(a1, a2, a3), .circle(b1, b2, b3)): a1 == b1 && a2 == b2 && a3 == b3
        case let (.polygon(p), .polygon(q)): p.count == q.count && zip(p, q).allSatisfy { $0.lon == $1.lon && $0.lat == $1.lat }
        case let (.moc(m), .moc(n)): m == n
        default: false
        }
    }

    /// The cells at `order` that cover the region: every cell holding a point of the region is
    /// included (a cell near the border may be included without holding one).
    public func moc(order: Int) -> MOC {
        let order = min(max(order, 0), HEALPix.maxOrder)
        switch self {
        case .point(let lon, let lat):
            return MOC(order: order, cells: [HEALPix.ang2pix(order: order, lon: lon, lat: lat)])
        case .moc(let m):
            // degrade: every cell at `order` that overlaps m
            let s = MOC.shift(order)
            return MOC(ranges: m.cellRanges(order: order).map { ($0.lowerBound << s)..<(($0.upperBound + 1) << s) }, maxOrder: order)
        case .circle(let lon, let lat, let radius):
            let c = Vec3(lon: lon, lat: lat)
            let r = radius * .pi / 180
            var m = Region.cover(order: order) { centre, rho in
                let d = centre.angle(c)
                if d + rho <= r { return .inside }
                return d - rho <= r ? .partial : .outside
            }
            // the centre's cell, always (a tiny or zero radius)
            m = m.union(MOC(order: order, cells: [HEALPix.ang2pix(order: order, lon: lon, lat: lat)]))
            return m
        case .polygon(let vs):
            let poly = SphericalPolygon(vs.map { Vec3(lon: $0.lon, lat: $0.lat) })
            var m = MOC(order: order, cells: [])
            // A polygon without area (fewer than three distinct vertices, an undefined edge):
            // only its vertices' cells.
            if !poly.degenerate { m = Region.cover(order: order) { centre, rho in
                let inside = poly.contains(centre)
                let d = poly.edgeDistance(centre)
                if inside, d > rho { return .inside }
                return inside || d <= rho ? .partial : .outside
            } }
            for v in vs where v.lon.isFinite && v.lat.isFinite { m = m.union(MOC(order: order, cells: [HEALPix.ang2pix(order: order, lon: v.lon, lat: v.lat)])) }
            return m
        }
    }

    enum Overlap { case inside, partial, outside }

    /// Hierarchical cover: cells whose bounding cap is inside are taken whole, cells partly
    /// in are split down to `order` and taken there.
    static func cover(order: Int, _ test: (Vec3, Double) -> Overlap) -> MOC {
        var ranges: [Range<UInt64>] = []
        var stack: [(Int, UInt64)] = (0..<12).reversed().map { (0, UInt64($0)) }
        while let (o, p) = stack.popLast() {
            let (centre, rho) = boundingCap(order: o, pixel: p)
            switch test(centre, rho) {
            case .outside: continue
            case .inside:
                let s = MOC.shift(o)
                ranges.append((p << s)..<((p + 1) << s))
            case .partial:
                if o >= order {
                    let s = MOC.shift(o)
                    ranges.append((p << s)..<((p + 1) << s))
                } else {
                    for k in (0..<UInt64(4)).reversed() { stack.append((o + 1, p * 4 + k)) }
                }
            }
        }
        return MOC(ranges: ranges, maxOrder: order)
    }

    /// A cap (centre, radius in radians) holding the whole cell: the farthest of its corners
    /// and edge midpoints from the centre, widened by 10 % because the edges are not great
    /// circles.
    static func boundingCap(order: Int, pixel: UInt64) -> (Vec3, Double) {
        let c = HEALPix.position(order: order, pixel: pixel)
        let centre = Vec3(lon: c.lon, lat: c.lat)
        var rho = 0.0
        for (dx, dy) in [(0.0, 0.0), (0, 1), (1, 0), (1, 1), (0.5, 0), (0.5, 1), (0, 0.5), (1, 0.5)] {
            let p = HEALPix.position(order: order, pixel: pixel, dx: dx, dy: dy)
            rho = max(rho, centre.angle(Vec3(lon: p.lon, lat: p.lat)))
        }
        return (centre, rho * 1.1 + 1e-9)
    }
}

/// A spherical polygon with great-circle edges. The inside is the side of the edges the
/// vertices turn around (convex polygons in either orientation; for a non-convex polygon
/// the test uses the winding of the edges around the point).
struct SphericalPolygon {
    let vertices: [Vec3]
    let normals: [Vec3]
    let ccw: Bool
    let convex: Bool
    let mean: Vec3

    /// No area: fewer than three distinct vertices, a coordinate that is not finite, or an
    /// edge between antipodal vertices (no great circle is defined). Nothing is inside.
    let degenerate: Bool

    init(_ given: [Vec3]) {
        // Repeated vertices (the same point twice in a row, or the first again at the end)
        // would make zero-length edges without a normal: they are dropped.
        var vs: [Vec3] = []
        for v in given where vs.last.map({ $0.angle(v) >= 1e-12 }) ?? true { vs.append(v) }
        while vs.count > 1, vs[0].angle(vs[vs.count - 1]) < 1e-12 { vs.removeLast() }
        vertices = vs
        let crosses = vs.indices.map { vs[$0].cross(vs[($0 + 1) % vs.count]) }
        normals = crosses.map { $0.normalized() }
        degenerate =
            vs.count < 3 || !given.allSatisfy { $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }
            || crosses.contains { !($0.norm >= 1e-12) }
        // orientation: the sum of the normals points to the side the polygon turns around
        var s = Vec3(x: 0, y: 0, z: 0)
        for n in normals { s = Vec3(x: s.x + n.x, y: s.y + n.y, z: s.z + n.z) }
        var mean = Vec3(x: 0, y: 0, z: 0)
        for v in vs { mean = Vec3(x: mean.x + v.x, y: mean.y + v.y, z: mean.z + v.z) }
        ccw = s.dot(mean) >= 0
        self.mean = mean
        var convex = true
        for (i, n) in normals.enumerated() {
            for (j, v) in vs.enumerated() where j != i && j != (i + 1) % vs.count {
                if (ccw ? v.dot(n) : -v.dot(n)) < -1e-15 { convex = false }
            }
        }
        self.convex = convex
    }

    /// Whether p is inside: for a convex polygon, on the inner side of every edge; otherwise
    /// by the winding of the edges as seen from p, for p in the polygon's hemisphere.
    func contains(_ p: Vec3) -> Bool {
        guard !degenerate else { return false }
        if convex {
            for n in normals where (ccw ? p.dot(n) : -p.dot(n)) < 0 { return false }
            return true
        }
        guard p.dot(mean) > 0 else { return false }
        // the sum of signed angles subtended at p by each edge
        var total = 0.0
        for i in vertices.indices {
            let a = vertices[i], b = vertices[(i + 1) % vertices.count]
            // tangent directions from p towards a and b
            let ta = a.cross(p).cross(p), tb = b.cross(p).cross(p)
            let s = ta.cross(tb).dot(p), c = ta.dot(tb)
            total += atan2(s, c)
        }
        return abs(total) > .pi
    }

    /// The smallest angular distance (radians) from p to an edge.
    func edgeDistance(_ p: Vec3) -> Double {
        var best = Double.infinity
        for i in vertices.indices {
            let a = vertices[i], b = vertices[(i + 1) % vertices.count], n = normals[i]
            // the closest point of the great circle, if it lies on the arc
            let q = Vec3(x: p.x - n.x * p.dot(n), y: p.y - n.y * p.dot(n), z: p.z - n.z * p.dot(n))
            if q.norm > 1e-15, a.cross(q).dot(n) >= 0, q.cross(b).dot(n) >= 0 {
                best = min(best, asin(min(1, abs(p.dot(n)))))
            } else {
                best = min(best, p.angle(a), p.angle(b))
            }
        }
        return best
    }
}

/// Set relations between regions (ADQL CONTAINS and INTERSECTS).
extension Region {
    /// The MOC of a region for comparison with a MOC of `order`: a point stays exact (order
    /// 29), other shapes are covered at `order`.
    func comparable(atOrder order: Int) -> MOC {
        switch self {
        case .moc(let m): m
        case .point: moc(order: HEALPix.maxOrder)
        default: moc(order: order)
        }
    }

    /// ADQL CONTAINS(self, other): self lies within other.
    public func isWithin(_ other: Region) -> Bool {
        switch (self, other) {
        case let (.point(lon, lat), .moc(m)):
            return m.contains(lon: lon, lat: lat)
        case let (.point(lon, lat), .circle(cl, cb, r)):
            return Vec3(lon: lon, lat: lat).angle(Vec3(lon: cl, lat: cb)) <= r * .pi / 180
        case let (.point(lon, lat), .polygon(vs)):
            return SphericalPolygon(vs.map { Vec3(lon: $0.lon, lat: $0.lat) }).contains(Vec3(lon: lon, lat: lat))
        case let (.point(a1, a2), .point(b1, b2)):
            return Vec3(lon: a1, lat: a2).angle(Vec3(lon: b1, lat: b2)) < 1e-12
        case let (.circle(al, ab, ar), .circle(bl, bb, br)):
            return Vec3(lon: al, lat: ab).angle(Vec3(lon: bl, lat: bb)) + ar * .pi / 180 <= br * .pi / 180
        default:
            let order = max(other.mocOrder, self.mocOrder, 10)
            return other.comparable(atOrder: order).contains(self.comparable(atOrder: order))
        }
    }

    /// ADQL INTERSECTS.
    public func intersects(_ other: Region) -> Bool {
        switch (self, other) {
        case (.point, _): return isWithin(other)
        case (_, .point): return other.isWithin(self)
        case let (.circle(al, ab, ar), .circle(bl, bb, br)):
            return Vec3(lon: al, lat: ab).angle(Vec3(lon: bl, lat: bb)) <= (ar + br) * .pi / 180
        default:
            let order = max(other.mocOrder, self.mocOrder, 10)
            return self.comparable(atOrder: order).intersects(other.comparable(atOrder: order))
        }
    }

    var mocOrder: Int {
        if case .moc(let m) = self { return m.maxOrder }
        return 0
    }
}
