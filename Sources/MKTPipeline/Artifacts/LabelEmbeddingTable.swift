import MKTTensor

/// Text embeddings of named labels: one row per label.
///
/// Shapes: L labels, D projection; ``embeddings`` is [L, D], not normalised.
public struct LabelEmbeddingTable: Sendable {
    /// The labels, in row order.
    public let labels: [String]
    /// [L, D].
    public let embeddings: Tensor
    /// How they were made, e.g. `template "There is a {} in the scene"` or `learned prompt`.
    public let origin: String

    /// A table.
    /// - Precondition: one row per label.
    public init(labels: [String], embeddings: Tensor, origin: String) {
        precondition(embeddings.rank == 2 && embeddings.shape[0] == labels.count, "one embedding row per label")
        self.labels = labels
        self.embeddings = embeddings
        self.origin = origin
    }

    /// The rows of `names`, in that order: [names.count, D].
    /// - Throws: ``PipelineError`` naming a label the table lacks.
    public func rows(_ names: [String]) throws -> Tensor {
        var index: [String: Int] = [:]
        for (i, label) in labels.enumerated() where index[label] == nil { index[label] = i }
        let rows = try names.map { name -> Int in
            guard let i = index[name] else {
                throw PipelineError(stage: nil, problem: "label embeddings (\(origin)) have no row for \"\(name)\"")
            }
            return i
        }
        if rows == Array(0..<labels.count) { return embeddings }
        return embeddings.gatherRows(rows).reshaped([rows.count, embeddings.shape[1]])
    }
}
