import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two ways history writes a moment, both in UTC to the millisecond: ISO 8601 in records
/// (`2026-11-22T10:15:30.123Z`) and a compact form that starts file names, so that names sort
/// by time (`20261122T101530.123Z`).
public enum HistoryTimestamp {
    /// `date` cut to whole milliseconds, as records keep it.
    public static func normalized(_ date: Date) -> Date {
        moment(milliseconds: milliseconds(of: date))
    }

    public static func iso8601(_ date: Date) -> String {
        let (t, millis) = utc(date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, millis)
    }

    public static func compact(_ date: Date) -> String {
        let (t, millis) = utc(date)
        return String(format: "%04d%02d%02dT%02d%02d%02d.%03dZ",
                      t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, millis)
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS`, an optional fraction (kept to the millisecond) and `Z` or
    /// an offset `±HH:MM`; nil for anything else.
    public static func parseISO8601(_ text: String) -> Date? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(4), scanner.skip("-"), let month = scanner.number(2), scanner.skip("-"),
              let day = scanner.number(2), scanner.skip("T") || scanner.skip("t"),
              let hour = scanner.number(2), scanner.skip(":"), let minute = scanner.number(2), scanner.skip(":"),
              let second = scanner.number(2)
        else { return nil }
        guard let millis = scanner.fractionMilliseconds() else { return nil }
        var offsetSeconds = 0
        if scanner.skip("Z") || scanner.skip("z") {
            offsetSeconds = 0
        } else if let sign = scanner.sign(), let h = scanner.number(2), scanner.skip(":"), let m = scanner.number(2) {
            offsetSeconds = sign * (h * 3600 + m * 60)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                    millis: millis, offsetSeconds: offsetSeconds)
    }

    /// Reads the compact form at the start of a file name (`20261122T101530.123Z...`).
    public static func parseCompact(prefixOf name: String) -> Date? {
        var scanner = DigitScanner(Array(name.utf8.prefix(20)))
        guard let year = scanner.number(4), let month = scanner.number(2), let day = scanner.number(2), scanner.skip("T"),
              let hour = scanner.number(2), let minute = scanner.number(2), let second = scanner.number(2),
              scanner.skip("."), let millis = scanner.number(3), scanner.skip("Z")
        else { return nil }
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                    millis: millis, offsetSeconds: 0)
    }

    private static func milliseconds(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    private static func moment(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    private static func utc(_ date: Date) -> (tm, Int32) {
        let ms = milliseconds(of: date)
        var seconds = time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000)
        var t = tm()
        gmtime_r(&seconds, &t)
        return (t, Int32(ms - Int64(seconds) * 1000))
    }

    private static func make(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                             millis: Int, offsetSeconds: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900)
        t.tm_mon = Int32(month - 1)
        t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour)
        t.tm_min = Int32(minute)
        t.tm_sec = Int32(second)
        let seconds = Int64(timegm(&t)) - Int64(offsetSeconds)
        return moment(milliseconds: seconds * 1000 + Int64(millis))
    }
}

/// Reads fixed-width decimal fields from ASCII bytes.
private struct DigitScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    mutating func number(_ digits: Int) -> Int? {
        guard position + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[position..<position + digits] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        position += digits
        return value
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    /// +1 or -1 for a sign, nil (and nothing read) otherwise.
    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }

    /// `.ddd…` as whole milliseconds (further digits dropped); 0 when there is no fraction, nil
    /// for a point without digits.
    mutating func fractionMilliseconds() -> Int? {
        guard skip(".") else { return 0 }
        var millis = 0, count = 0
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            if count < 3 { millis = millis * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
            count += 1
            position += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) { millis *= 10 }
        return millis
    }
}
