import Foundation

/// A spatial MOC (IVOA MOC 2.0): a set of HEALPix NESTED cells, kept as sorted, disjoint,
/// non-adjacent half-open ranges of cell indices at order 29, plus the MOC's own maximal order.
public struct MOC: Sendable, Equatable, CustomStringConvertible {
    /// Normalised ranges [lower, upper) at order 29.
    public private(set) var ranges: [Range<UInt64>]
    /// The order the MOC was built at (its resolution); cells are never finer than this.
    public var maxOrder: Int

    public init(ranges: [Range<UInt64>] = [], maxOrder: Int = 0) {
        self.ranges = MOC.normalise(ranges)
        self.maxOrder = min(max(maxOrder, 0), HEALPix.maxOrder)
    }

    /// The MOC made of the given cells at an order.
    public init(order: Int, cells: [UInt64]) {
        let s = MOC.shift(order)
        self.init(ranges: cells.map { ($0 << s)..<(($0 + 1) << s) }, maxOrder: order)
    }

    public static let empty = MOC()

    public var isEmpty: Bool { ranges.isEmpty }

    static func shift(_ order: Int) -> UInt64 { 2 * UInt64(HEALPix.maxOrder - order) }

    static func normalise(_ input: [Range<UInt64>]) -> [Range<UInt64>] {
        let sorted = input.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        var out: [Range<UInt64>] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound {
                if r.upperBound > last.upperBound { out[out.count - 1] = last.lowerBound..<r.upperBound }
            } else {
                out.append(r)
            }
        }
        return out
    }

    // MARK: Set operations

    public func union(_ o: MOC) -> MOC {
        MOC(ranges: ranges + o.ranges, maxOrder: max(maxOrder, o.maxOrder))
    }

    public func intersection(_ o: MOC) -> MOC {
        var out: [Range<UInt64>] = []
        var i = 0, j = 0
        while i < ranges.count, j < o.ranges.count {
            let a = ranges[i], b = o.ranges[j]
            let lo = max(a.lowerBound, b.lowerBound), hi = min(a.upperBound, b.upperBound)
            if lo < hi { out.append(lo..<hi) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        var m = MOC(ranges: [], maxOrder: max(maxOrder, o.maxOrder))
        m.ranges = out
        return m
    }

    /// Whether the two MOCs share at least one cell.
    public func intersects(_ o: MOC) -> Bool {
        var i = 0, j = 0
        while i < ranges.count, j < o.ranges.count {
            let a = ranges[i], b = o.ranges[j]
            if a.lowerBound < b.upperBound, b.lowerBound < a.upperBound { return true }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return false
    }

    /// Whether every cell of `o` is a cell of this MOC (an empty `o` is contained).
    public func contains(_ o: MOC) -> Bool {
        var i = 0
        for b in o.ranges {
            while i < ranges.count, ranges[i].upperBound <= b.lowerBound { i += 1 }
            guard i < ranges.count, ranges[i].lowerBound <= b.lowerBound, b.upperBound <= ranges[i].upperBound else { return false }
        }
        return true
    }

    /// Whether the order-29 cell `index` is in the MOC.
    public func containsCell29(_ index: UInt64) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound <= index { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count && ranges[lo].contains(index)
    }

    /// Whether the position (degrees) lies in a cell of the MOC.
    public func contains(lon: Double, lat: Double) -> Bool {
        containsCell29(HEALPix.ang2pix(order: HEALPix.maxOrder, lon: lon, lat: lat))
    }

    /// The cells at `order` that overlap the MOC, as ranges of cell indices at that order
    /// (inclusive bounds), merged.
    public func cellRanges(order: Int) -> [ClosedRange<UInt64>] {
        let s = MOC.shift(order)
        var out: [ClosedRange<UInt64>] = []
        for r in ranges {
            let lo = r.lowerBound >> s, hi = (r.upperBound - 1) >> s
            if let last = out.last, lo <= last.upperBound + 1 {
                out[out.count - 1] = last.lowerBound...max(hi, last.upperBound)
            } else {
                out.append(lo...hi)
            }
        }
        return out
    }

    /// The MOC's cells, each at the lowest order that describes it (the MOC 2.0 serialisation
    /// cells): (order, index) sorted by order then index.
    public func cells() -> [(order: Int, index: UInt64)] {
        var byOrder = [[UInt64]](repeating: [], count: HEALPix.maxOrder + 1)
        for r in ranges {
            var a = r.lowerBound
            let b = r.upperBound
            while a < b {
                // the largest aligned block at a that fits in [a, b), at an order ≥ 0
                var o = 0
                while o < HEALPix.maxOrder {
                    let s = MOC.shift(o)
                    if a & ((UInt64(1) << s) - 1) == 0, a + (UInt64(1) << s) <= b { break }
                    o += 1
                }
                let s = MOC.shift(o)
                byOrder[o].append(a >> s)
                a += UInt64(1) << s
            }
        }
        var out: [(Int, UInt64)] = []
        for (o, list) in byOrder.enumerated() {
            for c in list.sorted() { out.append((o, c)) }
        }
        return out
    }

    // MARK: ASCII serialisation (MOC 2.0 section 4.3.2)

    /// The ASCII MOC: `order/cells` groups, ranges as `a-b`, the maximal order last (written
    /// as `order/` when it holds no cell).
    public var ascii: String {
        let cs = cells()
        var parts: [String] = []
        var i = 0
        var lastOrder = -1
        while i < cs.count {
            let o = cs[i].order
            var group: [String] = []
            while i < cs.count, cs[i].order == o {
                let start = cs[i].index
                var end = start
                while i + 1 < cs.count, cs[i + 1].order == o, cs[i + 1].index == end + 1 {
                    i += 1
                    end += 1
                }
                group.append(start == end ? "\(start)" : "\(start)-\(end)")
                i += 1
            }
            parts.append("\(o)/" + group.joined(separator: " "))
            lastOrder = o
        }
        let top = max(maxOrder, lastOrder)
        if top != lastOrder { parts.append("\(top)/") }
        return parts.joined(separator: " ")
    }

    public var description: String { ascii }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case syntax(String)
        case order(Int)
        case cell(UInt64, order: Int)

        public var description: String {
            switch self {
            case .syntax(let t): "ASCII MOC: unexpected '\(t)'"
            case .order(let o): "ASCII MOC: order \(o) outside 0…29"
            case .cell(let c, let o): "ASCII MOC: cell \(c) does not exist at order \(o)"
            }
        }
    }

    /// Parses an ASCII MOC (MOC 2.0: `1/0-2 4 2/12-14 8/`; MOC 1.x commas are accepted too).
    public init(ascii text: String) throws(ParseError) {
        var ranges: [Range<UInt64>] = []
        var order: Int? = nil
        var maxOrder = 0
        let bytes = Array(text.utf8)
        var i = 0
        func number() -> UInt64? {
            var v: UInt64 = 0
            var any = false
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(bytes[i] - 48))
                if o1 || o2 { return nil }
                v = s
                any = true
                i += 1
            }
            return any ? v : nil
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == 32 || c == 9 || c == 10 || c == 13 || c == 44 {
                i += 1
                continue
            }
            let start = i
            guard let a = number() else { throw .syntax(String(decoding: bytes[start..<min(bytes.count, start + 10)], as: UTF8.self)) }
            if i < bytes.count, bytes[i] == 47 {  // '/'
                guard a <= UInt64(HEALPix.maxOrder) else { throw .order(Int(clamping: a)) }
                order = Int(a)
                maxOrder = max(maxOrder, Int(a))
                i += 1
                continue
            }
            var b = a
            if i < bytes.count, bytes[i] == 45 {  // '-'
                i += 1
                guard let e = number() else { throw .syntax("-") }
                b = e
            }
            guard let o = order else { throw .syntax("\(a) before any order") }
            if i < bytes.count, !(bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 || bytes[i] == 44) {
                throw .syntax(String(decoding: bytes[i..<min(bytes.count, i + 10)], as: UTF8.self))
            }
            let n = HEALPix.npix(order: o)
            guard a <= b else { throw .syntax("\(a)-\(b)") }
            guard b < n else { throw .cell(b, order: o) }
            let s = MOC.shift(o)
            ranges.append((a << s)..<((b + 1) << s))
        }
        self.init(ranges: ranges, maxOrder: maxOrder)
    }
}
