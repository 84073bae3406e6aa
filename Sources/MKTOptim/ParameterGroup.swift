import Foundation

/// Per-parameter optimisation settings: a learning-rate scale and a weight decay.
///
/// MKT uses two rules at once: weight decay only on tensors with ≥ 2 dimensions, and layer-wise
/// learning-rate decay `decay^(layers + 1 − layerID)`; see ``ParameterGroup/layerWise(keys:shapes:layerID:layers:decay:weightDecay:)``.
public struct ParameterGroup: Sendable, Equatable {
    /// The parameters in the group.
    public var keys: [String]
    /// Multiplies the optimizer's learning rate.
    public var learningRateScale: Double
    /// Decoupled weight decay.
    public var weightDecay: Double

    /// A group.
    public init(keys: [String], learningRateScale: Double = 1, weightDecay: Double) {
        self.keys = keys
        self.learningRateScale = learningRateScale
        self.weightDecay = weightDecay
    }

    /// Groups by (layer id, has ≥ 2 dims): scale `decay^(layers + 1 − id)`, weight decay only for
    /// ≥ 2-D tensors, as MKT's `param_groups_lrd`.
    public static func layerWise(
        keys: [String], shapes: [String: [Int]], layerID: (String) -> Int, layers: Int,
        decay: Double, weightDecay: Double
    ) -> [ParameterGroup] {
        var groups: [String: ParameterGroup] = [:]
        var order: [String] = []
        for key in keys {
            let id = layerID(key)
            let decayed = (shapes[key]?.count ?? 1) >= 2
            let name = "\(id)-\(decayed)"
            if groups[name] == nil {
                order.append(name)
                groups[name] = ParameterGroup(keys: [], learningRateScale: pow(decay, Double(layers + 1 - id)),
                                              weightDecay: decayed ? weightDecay : 0)
            }
            groups[name]!.keys.append(key)
        }
        return order.map { groups[$0]! }
    }
}
