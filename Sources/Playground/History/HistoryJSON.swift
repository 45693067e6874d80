/// A JSON value written the way history files look: keys in the order given, one key per line,
/// and arrays of plain values (token ids, log-probabilities) on one line, so a file reads top to
/// bottom and greps well. Non-finite numbers, which JSON cannot hold, are written as the strings
/// "Infinity", "-Infinity" and "NaN" (and read back by `HistoryRecordDecoding`).
indirect enum HistoryJSON {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case double(Double)
    case float(Float)
    case string(String)
    case array([HistoryJSON])
    case object([(String, HistoryJSON)])

    /// The document, ending with a newline.
    var text: String {
        var output = ""
        write(to: &output, indent: "")
        output.append("\n")
        return output
    }

    private var isContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }

    private func write(to output: inout String, indent: String) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .integer(let value): output.append(String(value))
        case .unsigned(let value): output.append(String(value))
        case .double(let value): Self.writeNumber(value.isFinite ? value.description : nil, value, to: &output)
        case .float(let value): Self.writeNumber(value.isFinite ? value.description : nil, Double(value), to: &output)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let items):
            if items.isEmpty {
                output.append("[]")
            } else if !items.contains(where: \.isContainer) {
                output.append("[")
                for (i, item) in items.enumerated() {
                    if i > 0 { output.append(", ") }
                    item.write(to: &output, indent: indent)
                }
                output.append("]")
            } else {
                let inner = indent + "  "
                output.append("[\n")
                for (i, item) in items.enumerated() {
                    output.append(inner)
                    item.write(to: &output, indent: inner)
                    output.append(i == items.count - 1 ? "\n" : ",\n")
                }
                output.append(indent + "]")
            }
        case .object(let members):
            if members.isEmpty {
                output.append("{}")
                return
            }
            let inner = indent + "  "
            output.append("{\n")
            for (i, (key, value)) in members.enumerated() {
                output.append(inner)
                Self.writeString(key, to: &output)
                output.append(": ")
                value.write(to: &output, indent: inner)
                output.append(i == members.count - 1 ? "\n" : ",\n")
            }
            output.append(indent + "}")
        }
    }

    /// Swift's shortest round-trip form ("0.7", "1e-05") is valid JSON for finite numbers.
    private static func writeNumber(_ finite: String?, _ value: Double, to output: inout String) {
        if let finite {
            output.append(finite)
        } else {
            writeString(value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity", to: &output)
        }
    }

    private static func writeString(_ value: String, to output: inout String) {
        output.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case _ where scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }
}
