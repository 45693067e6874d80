import Foundation

/// The `general.name` and `general.size_label` llama.cpp's converter derives for a model folder
/// that has no model card and no `_name_or_path` (gguf-py's `Metadata.id_to_title` of the folder
/// name, and `size_label` of the parameter count).
enum GGUFModelNaming {
    /// "tiny-a" → "Tiny A", "gpt2" → "Gpt2", "v1.5" and "7b" unchanged: words split at spaces and
    /// hyphens; an all-lowercase word that is not a version or a number is title-cased as
    /// Python's `str.title()` does it (every run of letters capitalized).
    static func title(fromIdentifier identifier: String) -> String {
        identifier.replacingOccurrences(of: "-", with: " ")
            .split(whereSeparator: { $0.unicodeScalars.allSatisfy(isPythonWhitespace) })
            .map { word in
                let text = String(word)
                return isLowercase(text) && !isVersionOrNumber(text) ? titleCased(text) : text
            }
            .joined(separator: " ")
    }

    /// "174K", "124M", "1.5B": the parameter count in the largest unit it exceeds, with at least
    /// two significant digits (gguf-py's `model_weight_count_rounded_notation`).
    static func sizeLabel(parameterCount: Int) -> String {
        let count = Double(parameterCount)
        let (scaled, suffix): (Double, String)
        if count > 1e12 {
            (scaled, suffix) = (count * 1e-12, "T")
        } else if count > 1e9 {
            (scaled, suffix) = (count * 1e-9, "B")
        } else if count > 1e6 {
            (scaled, suffix) = (count * 1e-6, "M")
        } else {
            (scaled, suffix) = (count * 1e-3, "K")
        }
        // Python's round() rounds half to even; the digits of 0 count as none.
        let rounded = scaled.rounded(.toNearestOrEven)
        let digits = rounded < 1 ? 0 : String(format: "%.0f", rounded).count
        let decimals = max(2 - digits, 0)
        return String(format: "%.\(decimals)f", scaled) + suffix
    }

    /// Python's `str.isspace` for one character: Unicode white space and the separators 0x1C–0x1F.
    private static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    /// Python's `str.islower`: some cased letter, and no uppercase or titlecase one.
    private static func isLowercase(_ text: String) -> Bool {
        var cased = false
        for scalar in text.unicodeScalars where scalar.properties.isCased {
            if !scalar.properties.isLowercase { return false }
            cased = true
        }
        return cased
    }

    /// `^(v\d+(\.\d+)*|\d.*)$`: a version such as "v2" or "v1.5", or anything starting with a digit.
    private static func isVersionOrNumber(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first else { return false }
        if isDigit(first) { return true }
        guard first == "v", scalars.count > 1 else { return false }
        var previousWasDigit = false
        for scalar in scalars.dropFirst() {
            if isDigit(scalar) {
                previousWasDigit = true
            } else if scalar == ".", previousWasDigit {
                previousWasDigit = false
            } else {
                return false
            }
        }
        return previousWasDigit
    }

    /// Python's `\d`: any decimal digit.
    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.numericType == .decimal
    }

    /// Python's `str.title()`: a cased letter after an uncased character is uppercased, after a
    /// cased one lowercased.
    private static func titleCased(_ text: String) -> String {
        var result = ""
        var previousCased = false
        for scalar in text.unicodeScalars {
            let cased = scalar.properties.isCased
            if cased {
                result += previousCased ? scalar.properties.lowercaseMapping : scalar.properties.titlecaseMapping
            } else {
                result.unicodeScalars.append(scalar)
            }
            previousCased = cased
        }
        return result
    }
}
