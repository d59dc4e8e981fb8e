/// A `from`/`until` argument: a UTC date (`YYYY-MM-DD`) or datetime (`YYYY-MM-DDThh:mm:ssZ`).
public struct OAIDate: Sendable, Equatable {
    /// The two granularities of OAI-PMH 2.0.
    public enum Granularity: Sendable, Equatable {
        case day, seconds
    }

    /// The instant it starts at, seconds since 1970 UTC.
    public var seconds: Int64
    /// The granularity it was written in.
    public var granularity: Granularity
    /// The argument as the harvester wrote it (echoed in the request element).
    public var text: String

    /// The first second the value covers (for `from`, inclusive).
    public var lowerBound: Int64 { seconds }
    /// The last second the value covers (for `until`, inclusive: a day runs to 23:59:59).
    public var upperBound: Int64 { granularity == .day ? seconds + 86_399 : seconds }

    /// Parses a date or datetime strictly; nil when malformed or out of range.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10 || b.count == 20 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let y = num(0..<4), b[4] == 0x2D, let m = num(5..<7), b[7] == 0x2D, let d = num(8..<10),
            (1...12).contains(m), d >= 1, d <= OAIDate.daysIn(month: m, year: y)
        else { return nil }
        var s = OAIDate.daysFromCivil(y, m, d) * 86_400
        if b.count == 20 {
            guard b[10] == 0x54, let hh = num(11..<13), b[13] == 0x3A, let mm = num(14..<16), b[16] == 0x3A,
                let ss = num(17..<19), b[19] == 0x5A, hh < 24, mm < 60, ss < 60
            else { return nil }
            s += Int64(hh * 3600 + mm * 60 + ss)
            granularity = .seconds
        } else {
            granularity = .day
        }
        seconds = s
        self.text = text
    }

    /// Formats seconds since 1970 as `YYYY-MM-DDThh:mm:ssZ`.
    public static func format(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rem = Int(seconds - days * 86_400)
        let (y, m, d) = civil(fromDays: days)
        func p(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(y, 4))-\(p(m, 2))-\(p(d, 2))T\(p(rem / 3600, 2)):\(p(rem / 60 % 60, 2)):\(p(rem % 60, 2))Z"
    }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe - 719_468)
    }

    static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
        let z = Int(z0) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
