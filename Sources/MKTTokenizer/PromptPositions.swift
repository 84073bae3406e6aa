/// Where a label's tokens sit inside a prompt such as `There is a {} in the scene`.
public struct PromptTokens: Sendable, Equatable {
    /// `[start] + prefix + label + suffix + [end]`, unpadded and untruncated.
    public let ids: [Int32]
    /// The positions of the label's tokens in ``ids``.
    public let labelRange: Range<Int>
    /// The position of the end token in ``ids`` (`ids.count - 1`).
    public var endPosition: Int { ids.count - 1 }
}

extension CLIPTokenizer {
    /// The tokens of `template` with `{}` replaced by `label`, and the positions of the label's
    /// tokens among them.
    ///
    /// The prompt is tokenized as a whole; the label's positions are where `encode(label)`
    /// sits between the template's prefix and suffix tokens.
    /// - Throws: ``TokenizerError`` if the template has no `{}` or if the label's tokens do not
    ///   appear on their own in the prompt (for example a label glued to punctuation of the
    ///   template, which BPE merges across).
    public func promptTokens(template: String, label: String) throws -> PromptTokens {
        guard let slot = template.range(of: "{}") else {
            throw TokenizerError(path: "template \"\(template)\"", problem: "has no {} for the label")
        }
        let prefix = encode(String(template[..<slot.lowerBound]))
        let labelIDs = encode(label)
        let suffix = encode(String(template[slot.upperBound...]))
        let whole = encode(template.replacingCharacters(in: slot, with: label))
        guard whole == prefix + labelIDs + suffix else {
            throw TokenizerError(path: "template \"\(template)\"",
                                 problem: "the tokens of label \"\(label)\" merge with the template's; cannot locate them")
        }
        let start = 1 + prefix.count
        return PromptTokens(ids: [startToken] + whole + [endToken], labelRange: start..<(start + labelIDs.count))
    }
}
