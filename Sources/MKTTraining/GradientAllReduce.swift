import MKTDistributed
import MKTTensor

/// The data-parallel hook: replaces every gradient by its sum over the ranks of `group`, as one
/// flat buffer in key order (all-reduced in chunks).
///
/// ``TrainingSession`` puts it first when it runs on more than one process, after weighting each
/// rank's gradients by its share of the batch's images (`images_r / images`): the sum is then
/// the gradient of the global batch's mean loss, as one process with the whole batch computes
/// it (up to the order of summation). Every rank must hold the same keys and shapes.
public struct GradientAllReduce: GradientHook, @unchecked Sendable {
    /// The processes whose gradients are summed.
    public let group: ProcessGroup

    /// Summing over `group`.
    public init(group: ProcessGroup) { self.group = group }

    public func process(_ gradients: inout [String: Tensor], step: Int) throws {
        guard group.size > 1 else { return }
        let keys = gradients.keys.sorted()
        var flat: [Float] = []
        flat.reserveCapacity(keys.reduce(0) { $0 + gradients[$1]!.count })
        for key in keys { flat += gradients[key]!.scalars }
        try group.allReduceSum(&flat)
        var offset = 0
        for key in keys {
            let shape = gradients[key]!.shape
            let n = gradients[key]!.count
            gradients[key] = Tensor(shape: shape, scalars: Array(flat[offset..<(offset + n)]))
            offset += n
        }
    }
}
