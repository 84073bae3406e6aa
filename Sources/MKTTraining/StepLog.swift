/// One optimizer step's record, a line of `training-log.jsonl`: `step`, `epoch`, `lr`, `loss`,
/// `images`, `world_size` (the processes that took the step together, 1 without MPI), and the
/// trainer's own metrics under their names (e.g. `rank_loss`, `dist_loss`, `logit_scale`,
/// `accuracy`), one JSON object with sorted keys.
public struct StepLog: Codable, Sendable, Equatable {
    /// 1-based optimizer step.
    public var step: Int
    /// 0-based epoch.
    public var epoch: Int
    /// The base learning rate used.
    public var lr: Double
    /// The loss.
    public var loss: Double
    /// Images that contributed to the loss.
    public var images: Int
    /// The trainer's further numbers, by log key.
    public var metrics: [String: Double]
    /// The processes (MPI ranks) that took the step together; 1 for a single process.
    public var worldSize: Int

    /// A record.
    public init(step: Int, epoch: Int, lr: Double, loss: Double, images: Int, metrics: [String: Double] = [:],
                worldSize: Int = 1) {
        self.step = step
        self.epoch = epoch
        self.lr = lr
        self.loss = loss
        self.images = images
        self.metrics = metrics
        self.worldSize = worldSize
    }

    /// The metric `key`, or 0 when the trainer does not log it.
    public subscript(_ key: String) -> Double { metrics[key] ?? 0 }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let fixed: Set<String> = ["step", "epoch", "lr", "loss", "images", "world_size"]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        step = try c.decode(Int.self, forKey: Key("step"))
        epoch = try c.decodeIfPresent(Int.self, forKey: Key("epoch")) ?? 0
        lr = try c.decodeIfPresent(Double.self, forKey: Key("lr")) ?? 0
        loss = try c.decodeIfPresent(Double.self, forKey: Key("loss")) ?? 0
        images = try c.decodeIfPresent(Int.self, forKey: Key("images")) ?? 0
        worldSize = try c.decodeIfPresent(Int.self, forKey: Key("world_size")) ?? 1
        metrics = [:]
        for key in c.allKeys where !Self.fixed.contains(key.stringValue) {
            if let value = try? c.decode(Double.self, forKey: key) { metrics[key.stringValue] = value }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(step, forKey: Key("step"))
        try c.encode(epoch, forKey: Key("epoch"))
        try c.encode(lr, forKey: Key("lr"))
        try c.encode(loss, forKey: Key("loss"))
        try c.encode(images, forKey: Key("images"))
        try c.encode(worldSize, forKey: Key("world_size"))
        for (key, value) in metrics where !Self.fixed.contains(key) { try c.encode(value, forKey: Key(key)) }
    }
}
