extension String {
    /// The text with every CR LF and lone CR turned into LF, as the editor stores line ends;
    /// tabs and everything else are kept.
    var normalizingLineEndings: String {
        guard unicodeScalars.contains("\r") else { return self }
        var result = String.UnicodeScalarView()
        var previousWasCarriageReturn = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
            } else if !(scalar == "\n" && previousWasCarriageReturn) {
                result.append(scalar)
            }
            previousWasCarriageReturn = scalar == "\r"
        }
        return String(result)
    }
}
