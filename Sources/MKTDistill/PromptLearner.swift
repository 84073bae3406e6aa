import MKTCLIP
import MKTNN
import MKTTensor
import MKTTokenizer

/// How the learned prompt context is shared.
public enum PromptContextMode: String, Codable, Sendable, CaseIterable {
    /// The reference: one learned vector per distinct context token id (the rows of the token
    /// table that the prompts read), shared by every label and every position holding that id.
    case mkt
    /// CoOp-style: one learned vector per context position.
    case coop
}

/// Learned prompt context for a template such as `There is a {} in the scene` (mkt-method §1.5).
///
/// Each label's prompt is `SOT, prefix…, label tokens…, suffix…, EOT`. The label tokens use a
/// frozen snapshot of the pretrained token table; every other position up to EOT reads a
/// learned context vector, initialised from the pretrained rows of its token. The text tower
/// stays frozen; its pooled output at EOT through `text_projection` is the label embedding.
///
/// Shapes: L labels, T = the longest prompt, C text width, D projection.
public final class PromptLearner: Module {
    /// [R, C]: R distinct context tokens (``PromptContextMode/mkt``) or context positions (coop).
    @Parameter public var context: Tensor
    /// The context token ids in prompt order (SOT, prefix, suffix, EOT).
    public let contextTokenIDs: [Int32]
    /// For each context position (prompt order), its row in ``context``.
    public let contextRows: [Int]
    public let mode: PromptContextMode
    public let template: String
    private let labelIndices: [Int]        // [L · T] rows of the combined table
    private let endPositions: [Int]
    private let frozenRows: Tensor         // [M + 1, C]: label-token rows, then a zero pad row
    private let length: Int

    /// Prompts for `labels` from `template` (with `{}`), initialised from `model`'s token table.
    /// - Throws: ``TokenizerError`` if a label's tokens cannot be located in the prompt.
    public init(labels: [String], template: String, tokenizer: CLIPTokenizer, model: CLIPModel,
                mode: PromptContextMode = .mkt) throws {
        precondition(!labels.isEmpty, "no labels")
        let table = model.textModel.embeddings.tokenEmbedding.weight                         // [V, C]
        let prompts = try labels.map { try tokenizer.promptTokens(template: template, label: $0) }
        let first = prompts[0]
        let order = Array(first.ids[..<first.labelRange.lowerBound]) + Array(first.ids[first.labelRange.upperBound...])
        var rows: [Int] = []
        var distinct: [Int32] = []
        for (position, id) in order.enumerated() {
            switch mode {
            case .mkt:
                if let r = distinct.firstIndex(of: id) { rows.append(r) } else { distinct.append(id); rows.append(distinct.count - 1) }
            case .coop:
                distinct.append(id)
                rows.append(position)
            }
        }
        let contextCount = distinct.count
        let t = prompts.map(\.ids.count).max()!
        precondition(t <= model.textModel.configuration.maxPositionEmbeddings, "a prompt has \(t) tokens, more than the context length")
        var labelTokenIDs: [Int] = []
        var indices: [Int] = []
        var ends: [Int] = []
        for p in prompts {
            var k = 0
            for (j, id) in p.ids.enumerated() {
                if p.labelRange.contains(j) {
                    indices.append(contextCount + labelTokenIDs.count)
                    labelTokenIDs.append(Int(id))
                } else {
                    indices.append(rows[k])
                    k += 1
                }
            }
            indices.append(contentsOf: Array(repeating: -1, count: t - p.ids.count))      // padding
            ends.append(p.endPosition)
        }
        let width = table.shape[1]
        let pad = contextCount + labelTokenIDs.count
        labelIndices = indices.map { $0 < 0 ? pad : $0 }
        frozenRows = Tensor.concatenate([table.gatherRows(labelTokenIDs).reshaped([labelTokenIDs.count, width]),
                                         Tensor.zeros([1, width])], axis: 0).detached()
        context = table.gatherRows(distinct.map(Int.init)).detached()
        contextTokenIDs = order
        contextRows = rows
        endPositions = ends
        length = t
        self.mode = mode
        self.template = template
        super.init()
    }

    /// The label embeddings [L, D] through the frozen text tower.
    public func labelEmbeddings(_ model: CLIPModel) -> Tensor {
        let combined = Tensor.concatenate([context, frozenRows], axis: 0)                  // [R + M + 1, C]
        let c = combined.shape[1]
        let x = combined.gatherRows(labelIndices).reshaped([endPositions.count, length, c]) // [L, T, C]
        return model.textProjection(model.textModel.pooled(tokenEmbeddings: x, endPositions: endPositions))
    }

    /// The context per position in prompt order [positions, C] (what `prompt.safetensors` stores).
    public var contextByPosition: Tensor { context.gatherRows(contextRows) }
}
