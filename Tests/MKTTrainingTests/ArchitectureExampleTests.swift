import Foundation
import MKTNN
import MKTOptim
import MKTSupport
import MKTTensor
import MKTTraining
import Testing
import TestSupport

// The trainer shown in Docs/Architecture.md ("Adding a trainer"), verbatim: it must compile and
// run. `scripts/check_examples.py` checks that the document still shows exactly this code.
final class LinearProbe: Trainer {
    let settings: [String: Double] = ["lr": 1e-3]
    let head = Linear(512, 81)                                                   // [L, D] weight
    let optimizer: any Optimizer = AdamW(learningRate: 1e-3)
    let schedule: any LearningRateSchedule = WarmupCosineSchedule(base: 1e-3, minimum: 0, warmupEpochs: 1, epochs: 10)
    let embeddings: Tensor, labels: [Float]                                      // [N, D], [N, L] ±1
    var plan: TrainingPlan { .epochs(images: embeddings.shape[0], batchSize: 64, epochs: 10, seed: 0) }
    var trainedModule: Module { head }
    init(embeddings: Tensor, labels: [Float]) { self.embeddings = embeddings; self.labels = labels }

    func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        let x = embeddings.gatherRows(batch.indices)                             // [B, D]
        let y = batch.indices.flatMap { labels[($0 * 81)..<(($0 + 1) * 81)] }    // [B, L]
        let (loss, gradients) = valueAndGradient(head) { BinaryCrossEntropyLoss()(logits: head(x), labels: y) }
        return TrainingStep(loss: loss, gradients: gradients, images: batch.indices.count)
    }
}

@Suite("The documented example trainer")
struct ArchitectureExampleTests {
    @Test("the linear probe of Docs/Architecture.md trains through the loop")
    func linearProbe() throws {
        var rng = SplitMix64(seed: 1)
        let e = Tensor.normal([64, 512], using: &rng)
        let y = (0..<(64 * 81)).map { _ in rng.nextUnit() < 0.1 ? Float(1) : -1 }
        let folder = Fixtures.temporaryDirectory("probe") + "/run"
        try LinearProbe(embeddings: e, labels: y).run(output: folder)
        let logs = try RunFolder(path: folder, resume: true, configuration: ["lr": 1e-3]).log()
        #expect(logs.count == 10 && logs.last!.loss < logs.first!.loss)
    }
}
