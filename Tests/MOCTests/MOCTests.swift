import Foundation
import Testing

@testable import MOC

@Suite struct HEALPixTests {
    @Test func knownPixels() {
        // order 0: the north pole is in face 0, (0, 0) in face 4, the south pole in face 8
        #expect(HEALPix.ang2pix(order: 0, lon: 0, lat: 90) == 0)
        #expect(HEALPix.ang2pix(order: 1, lon: 0, lat: 90) == 3)
        #expect(HEALPix.ang2pix(order: 0, lon: 0, lat: 0) == 4)
        #expect(HEALPix.ang2pix(order: 0, lon: 0, lat: -90) == 8)
        #expect(HEALPix.ang2pix(order: 0, lon: 90, lat: 45) == 1)
        #expect(HEALPix.ang2pix(order: 0, lon: 180, lat: 0) == 6)
        #expect(HEALPix.ang2pix(order: 0, lon: 270, lat: -45) == 11)
        // the centre of pixel 4 at order 0 is (0, 0)
        let c = HEALPix.position(order: 0, pixel: 4)
        #expect(abs(c.lon) < 1e-12 && abs(c.lat) < 1e-12)
        // face 0's centre: lon 45, lat = asin(2/3)
        let c0 = HEALPix.position(order: 0, pixel: 0)
        #expect(abs(c0.lon - 45) < 1e-9 && abs(c0.lat - asin(2.0 / 3) * 180 / .pi) < 1e-9)
    }

    @Test func centresRoundTrip() {
        var g = SystemRandomNumberGenerator()
        for order in [0, 1, 3, 6, 8, 10, 13, 18, 24, 29] {
            for _ in 0..<300 {
                let p = UInt64.random(in: 0..<HEALPix.npix(order: order), using: &g)
                let c = HEALPix.position(order: order, pixel: p)
                #expect(HEALPix.ang2pix(order: order, lon: c.lon, lat: c.lat) == p, "order \(order) pixel \(p)")
            }
        }
    }

    @Test func nestedHierarchy() {
        // a point's pixel at order k is its pixel at order k+1 divided by 4
        for _ in 0..<500 {
            let lon = Double.random(in: 0..<360), lat = asin(Double.random(in: -1...1)) * 180 / .pi
            let deep = HEALPix.ang2pix(order: 29, lon: lon, lat: lat)
            for o in [0, 5, 12, 28] {
                #expect(HEALPix.ang2pix(order: o, lon: lon, lat: lat) == deep >> (2 * UInt64(29 - o)))
            }
        }
    }
}

@Suite struct MOCTests {
    @Test func asciiRoundTrip() throws {
        let m = try MOC(ascii: "1/0-2 4 2/12-14 21 23 25 8/")
        #expect(m.ascii == "1/0-2 4 2/12-14 21 23 25 8/")
        #expect(m.maxOrder == 8)
        // four children make their parent; MOC 1.x commas are read
        #expect(try MOC(ascii: "1/0,1,2,3").ascii == "0/0 1/")
        #expect(try MOC(ascii: "2/4-7 1/0").ascii == "1/0-1 2/")
        #expect(try MOC(ascii: "").isEmpty)
        #expect(try MOC(ascii: "3/").ascii == "3/")
        #expect(throws: MOC.ParseError.self) { try MOC(ascii: "0/12") }
        #expect(throws: MOC.ParseError.self) { try MOC(ascii: "30/1") }
        #expect(throws: MOC.ParseError.self) { try MOC(ascii: "5") }
        #expect(throws: MOC.ParseError.self) { try MOC(ascii: "1/2x") }
    }

    @Test func setOperations() throws {
        let a = try MOC(ascii: "0/0-1")
        let b = try MOC(ascii: "1/4-5 8")
        #expect(a.union(b).ascii == "0/0-1 1/8")
        #expect(a.intersection(b).ascii == "1/4-5")
        #expect(a.contains(try MOC(ascii: "1/4-5")))
        #expect(!a.contains(b))
        #expect(a.intersects(b))
        #expect(!a.intersects(try MOC(ascii: "0/2")))
        #expect(a.contains(MOC.empty))
        #expect(a.contains(lon: 45, lat: 41.8))
        #expect(!a.contains(lon: 225, lat: 41.8))
        #expect(a.cellRanges(order: 1) == [0...7])
    }

    @Test func circleCoverNeverMisses() {
        for (lon, lat, r, order) in [(10.0, 10.0, 1.0, 6), (0.0, 89.5, 2.0, 8), (200.0, -30.0, 15.0, 5), (359.9, 0.0, 0.5, 10)] {
            let m = Region.circle(lon: lon, lat: lat, radius: r).moc(order: order)
            let c = Vec3(lon: lon, lat: lat)
            for _ in 0..<2000 {
                // random points in the circle
                let d = r * sqrt(Double.random(in: 0...1)) * 0.999999, az = Double.random(in: 0..<(2 * .pi))
                let p = offset(lon: lon, lat: lat, distance: d, azimuth: az)
                #expect(Vec3(lon: p.lon, lat: p.lat).angle(c) <= r * .pi / 180)
                #expect(m.contains(lon: p.lon, lat: p.lat), "\(p) in circle \(lon) \(lat) \(r)")
            }
            // not much more than the circle: area within a factor of the circle's (plus a border)
            let cellArea = 4 * Double.pi / Double(HEALPix.npix(order: order))
            let circleArea = 2 * Double.pi * (1 - cos(r * .pi / 180))
            let cells = m.cellRanges(order: order).reduce(0) { $0 + Int($1.upperBound - $1.lowerBound + 1) }
            #expect(Double(cells) * cellArea < circleArea * 2 + 60 * cellArea * (r / 1))
        }
    }

    @Test func polygonCoverNeverMisses() {
        let vs: [(lon: Double, lat: Double)] = [(9, 9), (11, 9), (11, 11), (9, 11)]
        let poly = Region.polygon(vs)
        let m = poly.moc(order: 7)
        for _ in 0..<3000 {
            let lon = Double.random(in: 9.01...10.99), lat = Double.random(in: 9.05...10.95)
            #expect(m.contains(lon: lon, lat: lat))
            #expect(Region.point(lon: lon, lat: lat).isWithin(poly))
        }
        #expect(!Region.point(lon: 12, lat: 10).isWithin(poly))
        #expect(!Region.point(lon: 190, lat: -10).isWithin(poly))
        #expect(!m.contains(lon: 13, lat: 10))
        // orientation does not matter
        #expect(Region.point(lon: 10, lat: 10).isWithin(.polygon(vs.reversed())))
    }

    @Test func regionRelations() throws {
        let cov = Region.moc(try MOC(ascii: "3/0-100"))
        #expect(Region.point(lon: 45, lat: 45).isWithin(cov))
        #expect(Region.point(lon: 45, lat: 45).intersects(cov))
        #expect(!Region.point(lon: 200, lat: -45).isWithin(cov))
        #expect(Region.circle(lon: 10, lat: 10, radius: 1).isWithin(.circle(lon: 10, lat: 10.5, radius: 2)))
        #expect(!Region.circle(lon: 10, lat: 10, radius: 1).isWithin(.circle(lon: 10, lat: 12, radius: 2)))
        let point6 = Region.point(lon: 10, lat: 10).moc(order: 6)
        #expect(Region.moc(point6).isWithin(.moc(try MOC(ascii: "0/4"))))
        #expect(!Region.moc(point6).isWithin(.moc(try MOC(ascii: "0/5"))))
    }

    /// The point at `distance` degrees from (lon, lat) towards `azimuth` (radians).
    func offset(lon: Double, lat: Double, distance: Double, azimuth: Double) -> (lon: Double, lat: Double) {
        let d = distance * .pi / 180, b = lat * .pi / 180, l = lon * .pi / 180
        let lat2 = asin(sin(b) * cos(d) + cos(b) * sin(d) * cos(azimuth))
        let lon2 = l + atan2(sin(azimuth) * sin(d) * cos(b), cos(d) - sin(b) * sin(lat2))
        var lonDeg = lon2 * 180 / .pi
        lonDeg = lonDeg.truncatingRemainder(dividingBy: 360)
        if lonDeg < 0 { lonDeg += 360 }
        return (lonDeg, lat2 * 180 / .pi)
    }
}

/// Polygons `make fuzz` (FuzzADQL) found.
@Suite struct PolygonFuzzRegressionTests {
    /// `POLYGON(0, 0, -0, 0, 10, 10, 0, 10)`: the repeated vertex made a zero-length edge whose
    /// normal is the zero vector; every point was then at distance 0 from that edge, so every
    /// cell of the sky was split down to the target order (millions of cells: the translation
    /// of the query hung). Repeated vertices are dropped now; polygons without area cover only
    /// their vertices' cells.
    @Test func repeatedVerticesAreDropped() {
        let found = Region.polygon([(0, 0), (-0.0, 0), (10, 10), (0, 10)])
        let triangle = Region.polygon([(0, 0), (10, 10), (0, 10)])
        #expect(found.moc(order: 10) == triangle.moc(order: 10))
        #expect(found.moc(order: 10).contains(lon: 2, lat: 8))
        #expect(!found.moc(order: 10).contains(lon: 8, lat: 2))
        let closed = Region.polygon([(0, 0), (10, 10), (0, 10), (0, 0)])
        #expect(closed.moc(order: 8) == triangle.moc(order: 8))
    }

    @Test func polygonsWithoutAreaCoverOnlyTheirVertices() {
        for vs: [(lon: Double, lat: Double)] in [
            [(0, 0), (0, 0), (0, 0)], [(0, 0), (10, 0), (0, 0)], [(0, 0), (180, 0), (90, 10)],
            [(0, 0), (.infinity, 0), (10, 10)], [(0, 0), (.nan, 0), (10, 10)],
        ] {
            let m = Region.polygon(vs).moc(order: 10)
            let vertices = vs.filter { $0.lon.isFinite && $0.lat.isFinite }.map { HEALPix.ang2pix(order: 10, lon: $0.lon, lat: $0.lat) }
            #expect(m == MOC(order: 10, cells: vertices), "\(vs)")
            #expect(!Region.point(lon: 45, lat: 45).isWithin(.polygon(vs)))
        }
    }
}
