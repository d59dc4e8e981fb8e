import Foundation
public import GRDB
public import MOC

/// ADQL geometry values in translated SQL, and the SQL functions that make and compare them.
///
/// A geometry travels through SQLite as text: `point LON LAT`, `circle LON LAT R`,
/// `polygon LON1 LAT1 …` (degrees), or an ASCII MOC (the `coverage` column as stored).
public enum GeometryFunctions {
    /// The SQL functions (registered by `ADQLFunctions.prepare`).
    static let functions: [DatabaseFunction] = [
        DatabaseFunction("adql_point", argumentCount: 2, pure: true) { v in
            guard let a = Double.fromDatabaseValue(v[0]), let b = Double.fromDatabaseValue(v[1]) else { return nil }
            return text(.point(lon: a, lat: b))
        },
        DatabaseFunction("adql_circle", argumentCount: -1, pure: true) { v in
            try circle(v)
        },
        DatabaseFunction("adql_polygon", argumentCount: -1, pure: true) { v in
            try polygon(v)
        },
        DatabaseFunction("adql_moc", argumentCount: -1, pure: true) { v in
            try moc(v)
        },
        DatabaseFunction("adql_contains", argumentCount: 2, pure: true) { v in
            guard let a = try region(v[0]), let b = try region(v[1]) else { return nil }
            return a.isWithin(b) ? 1 : 0
        },
        DatabaseFunction("adql_intersects", argumentCount: 2, pure: true) { v in
            guard let a = try region(v[0]), let b = try region(v[1]) else { return nil }
            return a.intersects(b) ? 1 : 0
        },
    ]

    public struct GeometryError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The text form of a region.
    public static func text(_ r: Region) -> String {
        switch r {
        case .point(let a, let b): "point \(a) \(b)"
        case .circle(let a, let b, let c): "circle \(a) \(b) \(c)"
        case .polygon(let vs): "polygon " + vs.map { "\($0.lon) \($0.lat)" }.joined(separator: " ")
        case .moc(let m): m.ascii
        }
    }

    /// The region of a text form; nil for NULL. MOCs are cached (coverage values repeat on
    /// every query).
    public static func region(_ v: DatabaseValue) throws -> Region? {
        guard let s = String.fromDatabaseValue(v) else { return nil }
        return try region(s)
    }

    public static func region(_ s: String) throws -> Region {
        let head = s.utf8.first ?? 0
        if head >= 97, head <= 122 {  // a lower-case letter: a shape
            let parts = s.split(separator: " ")
            let nums = parts.dropFirst().compactMap { Double($0) }
            guard nums.count == parts.count - 1 else { throw GeometryError(description: "malformed geometry '\(s.prefix(40))'") }
            switch parts[0] {
            case "point" where nums.count == 2: return .point(lon: nums[0], lat: nums[1])
            case "circle" where nums.count == 3: return .circle(lon: nums[0], lat: nums[1], radius: nums[2])
            case "polygon" where nums.count >= 6 && nums.count % 2 == 0:
                return .polygon(stride(from: 0, to: nums.count, by: 2).map { (nums[$0], nums[$0 + 1]) })
            default: throw GeometryError(description: "malformed geometry '\(s.prefix(40))'")
            }
        }
        return .moc(try MOCCache.shared.moc(s))
    }

    private static func doubles(_ v: [DatabaseValue]) -> [Double]? {
        var out: [Double] = []
        for x in v {
            guard let d = Double.fromDatabaseValue(x) else { return nil }
            out.append(d)
        }
        return out
    }

    static func circle(_ v: [DatabaseValue]) throws -> String? {
        if v.count == 3 {
            guard let d = doubles(v) else { return nil }
            guard d[2] >= 0, d[2] <= 180 else { throw GeometryError(description: "CIRCLE radius \(d[2]) outside [0, 180] degrees") }
            return text(.circle(lon: d[0], lat: d[1], radius: d[2]))
        }
        if v.count == 2 {
            guard let c = try region(v[0]), let r = Double.fromDatabaseValue(v[1]) else { return nil }
            guard case .point(let a, let b) = c else { throw GeometryError(description: "CIRCLE(centre, radius) needs a POINT centre") }
            return text(.circle(lon: a, lat: b, radius: r))
        }
        throw GeometryError(description: "CIRCLE takes a centre and a radius")
    }

    static func polygon(_ v: [DatabaseValue]) throws -> String? {
        var vs: [(lon: Double, lat: Double)] = []
        if !v.contains(where: { if case .string = $0.storage { true } else { false } }) {
            guard let d = doubles(v) else { return nil }
            for i in stride(from: 0, to: d.count - 1, by: 2) { vs.append((d[i], d[i + 1])) }
        } else {
            for x in v {
                guard let r = try region(x) else { return nil }
                guard case .point(let a, let b) = r else { throw GeometryError(description: "POLYGON vertices must be POINTs or coordinates") }
                vs.append((a, b))
            }
        }
        guard vs.count >= 3 else { throw GeometryError(description: "a POLYGON needs at least three vertices") }
        return text(.polygon(vs))
    }

    static func moc(_ v: [DatabaseValue]) throws -> String? {
        if v.count == 1 {
            guard let s = String.fromDatabaseValue(v[0]) else { return nil }
            return try MOCCache.shared.moc(s).ascii
        }
        guard v.count == 2 else { throw GeometryError(description: "MOC takes an ASCII MOC, or an order and a geometry") }
        guard let o = Int64.fromDatabaseValue(v[0]), let g = try region(v[1]) else { return nil }
        guard (0...Int64(HEALPix.maxOrder)).contains(o) else { throw GeometryError(description: "MOC order \(o) outside 0…29") }
        return g.moc(order: Int(o)).ascii
    }

    /// The translation-time value of a constant geometry expression (literal numbers and
    /// strings only), for the cell-index pre-filter.
    static func constantRegion(_ e: Expression) -> Region? {
        func number(_ e: Expression) -> Double? {
            switch e.kind {
            case .integer(let t): return Double(t)
            case .real(let t): return Double(t)
            case .unary("-", let x): return number(x).map { -$0 }
            case .unary("+", let x): return number(x)
            default: return nil
            }
        }
        guard case .function(let name, var args, false, false) = e.kind else { return nil }
        let upper = name.uppercased()
        if ["POINT", "CIRCLE", "POLYGON"].contains(upper), let first = args.first, case .string = first.kind {
            args.removeFirst()  // ADQL 2.0 coordinate system
        }
        switch upper {
        case "POINT":
            guard args.count == 2, let a = number(args[0]), let b = number(args[1]) else { return nil }
            return .point(lon: a, lat: b)
        case "CIRCLE":
            if args.count == 3, let a = number(args[0]), let b = number(args[1]), let r = number(args[2]) { return .circle(lon: a, lat: b, radius: r) }
            if args.count == 2, case .point(let a, let b)? = constantRegion(args[0]), let r = number(args[1]) { return .circle(lon: a, lat: b, radius: r) }
            return nil
        case "POLYGON":
            let nums = args.compactMap(number)
            if nums.count == args.count, nums.count >= 6, nums.count % 2 == 0 {
                return .polygon(stride(from: 0, to: nums.count, by: 2).map { (nums[$0], nums[$0 + 1]) })
            }
            var vs: [(lon: Double, lat: Double)] = []
            for a in args {
                guard case .point(let x, let y)? = constantRegion(a) else { return nil }
                vs.append((x, y))
            }
            return vs.count >= 3 ? .polygon(vs) : nil
        case "MOC":
            if args.count == 1, case .string(let s) = args[0].kind { return (try? MOC(ascii: s)).map(Region.moc) }
            if args.count == 2, let o = number(args[0]), o >= 0, o <= 29, o == o.rounded(), let g = constantRegion(args[1]) {
                return .moc(g.moc(order: Int(o)))
            }
            return nil
        default:
            return nil
        }
    }
}

/// Parsed ASCII MOCs by text, shared by every connection (coverage values are compared
/// again on every spatial query). Bounded: cleared when it holds too many.
final class MOCCache: @unchecked Sendable {
    static let shared = MOCCache()
    private let lock = NSLock()
    private var map: [String: MOC] = [:]
    private var weight = 0

    func moc(_ s: String) throws(MOC.ParseError) -> MOC {
        lock.lock()
        if let m = map[s] {
            lock.unlock()
            return m
        }
        lock.unlock()
        let m = try MOC(ascii: s)
        lock.lock()
        if weight > 64 << 20 {
            map.removeAll(keepingCapacity: true)
            weight = 0
        }
        map[s] = m
        weight += s.utf8.count + m.ranges.count * 16 + 64
        lock.unlock()
        return m
    }
}
