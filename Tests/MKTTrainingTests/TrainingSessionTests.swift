import Foundation
import MKTNN
import MKTOptim
import MKTSupport
import MKTTensor
import MKTTraining
import Testing
import TestSupport

/// A linear regression on fixed data: the smallest trainer the loop can drive.
final class Regression: Trainer {
    let settings: [String: Int]
    let model = Linear(3, 1)
    let optimizer: any Optimizer = AdamW(learningRate: 0.05, weightDecay: 0)
    let plan: TrainingPlan
    var schedule: any LearningRateSchedule { WarmupCosineSchedule(base: 0.05, minimum: 0.001, warmupEpochs: 0.5, epochs: Double(plan.epochs)) }
    var trainedModule: Module { model }
    /// [N, 3] inputs and [N, 1] targets.
    let x: [Float], y: [Float]
    /// Batches whose first index is in here are skipped.
    var skip: Set<Int> = []
    var seenEpochs: [Int] = []

    init(images: Int = 20, batchSize: Int = 4, epochs: Int = 3, maxSteps: Int? = nil, checkpointEvery: Int? = nil) {
        settings = ["images": images, "epochs": epochs]
        plan = .epochs(images: images, batchSize: batchSize, epochs: epochs, maxSteps: maxSteps, seed: 5,
                       checkpointEvery: checkpointEvery)
        var rng = SplitMix64(seed: 3)
        let inputs = (0..<(images * 3)).map { _ in Float(rng.nextUnit() * 2 - 1) }
        x = inputs
        y = (0..<images).map { i in 0.5 * inputs[3 * i] - 2 * inputs[3 * i + 1] + inputs[3 * i + 2] + 0.3 }
        var init_ = SplitMix64(seed: 9)
        model.weight = .normal([1, 3], std: 0.5, using: &init_)
    }

    func step(_ batch: TrainingBatch) throws -> TrainingStep? {
        if let first = batch.indices.first, skip.contains(first) { return nil }
        seenEpochs.append(batch.epoch)
        let b = batch.indices.count
        let xs = Tensor(shape: [b, 3], scalars: batch.indices.flatMap { x[(3 * $0)..<(3 * $0 + 3)] })
        let ys = Tensor(shape: [b, 1], scalars: batch.indices.map { y[$0] })
        let (loss, grads) = valueAndGradient(model) { (model(xs) - ys).squared().mean() }
        return TrainingStep(loss: loss, gradients: grads, metrics: ["half_loss": Double(loss.item) / 2], images: b)
    }
}

/// Records what it sees and optionally zeroes the gradients.
final class RecordingHook: GradientHook {
    var steps: [Int] = []
    var keys: Set<String> = []
    let zero: Bool
    init(zero: Bool) { self.zero = zero }
    func process(_ gradients: inout [String: Tensor], step: Int) throws {
        steps.append(step)
        keys.formUnion(gradients.keys)
        if zero { for k in gradients.keys { gradients[k] = Tensor.zeros(gradients[k]!.shape) } }
    }
}

@Suite("The training loop")
struct TrainingSessionTests {
    @Test("a plan's epochs are seeded permutations cut into batches (drop_last), the same for the same seed")
    func planBatches() {
        let plan = TrainingPlan.epochs(images: 10, batchSize: 4, epochs: 3, seed: 1)
        #expect(plan.iterationsPerEpoch == 2 && plan.totalSteps == 6)
        let e0 = plan.batches(epoch: 0), e1 = plan.batches(epoch: 1)
        #expect(e0.count == 2 && e0.allSatisfy { $0.count == 4 } && Set(e0.joined()).count == 8)
        #expect(e0 != e1 && e0 == TrainingPlan.epochs(images: 10, batchSize: 4, epochs: 3, seed: 1).batches(epoch: 0))
        var keep = plan
        keep.dropLast = false
        #expect(keep.iterationsPerEpoch == 3 && keep.batches(epoch: 0).last!.count == 2)
        keep.shuffle = false
        #expect(keep.batches(epoch: 2) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        #expect(TrainingPlan.epochs(images: 3, batchSize: 4, epochs: 1, seed: 0).iterationsPerEpoch == 1)
        let stream = TrainingPlan.stream(batchSize: 2, steps: 3)
        #expect(stream.batches(epoch: 0) == [[0, 1], [2, 3], [4, 5]] && stream.totalSteps == 3)
        let steps = TrainingPlan.steps(7, images: 10, batchSize: 4, seed: 0)
        #expect(steps.epochs == 4 && steps.totalSteps == 7 && steps.scheduleUnit == .step)
        #expect(steps.time(of: TrainingBatch(indices: [], epoch: 1, iteration: 1, step: 3)) == 3)
        #expect(plan.time(of: TrainingBatch(indices: [], epoch: 1, iteration: 1, step: 3)) == 1.5)
    }

    @Test("our shuffle is Fisher–Yates over SplitMix64: a permutation fixed by the seed")
    func shuffle() {
        var a = Array(0..<50), b = Array(0..<50)
        var r1 = SplitMix64(seed: 4), r2 = SplitMix64(seed: 4)
        r1.shuffle(&a)
        r2.shuffle(&b)
        #expect(a == b && a != Array(0..<50) && a.sorted() == Array(0..<50))
        var one = [7]
        r1.shuffle(&one)
        #expect(one == [7])
    }

    @Test("the loop lowers the loss and logs step, epoch, lr, loss, images and the trainer's metrics")
    func learnsAndLogs() throws {
        let dir = Fixtures.temporaryDirectory("loop") + "/run"
        let trainer = Regression(epochs: 20)
        var events: [String] = []
        let logs = try trainer.run(output: dir) { event in
            switch event {
            case .started: events.append("started")
            case .epochFinished: events.append("epoch")
            case .finished(_, let stopped): events.append(stopped ? "stopped" : "finished")
            default: break
            }
            return .more
        }
        #expect(logs.count == 100 && logs.map(\.step) == Array(1...100))
        let early: Double = logs.prefix(5).map(\.loss).reduce(0, +)
        let late: Double = logs.suffix(5).map(\.loss).reduce(0, +)
        #expect(late < early / 10)
        let epochEnds = events.filter { $0 == "epoch" }.count
        #expect(events.first == "started" && events.last == "finished")
        #expect(epochEnds == 19)
        let lines = try String(contentsOfFile: dir + "/training-log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 100)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(Set(first.keys) == ["step", "epoch", "lr", "loss", "images", "half_loss", "world_size"])
        #expect(first["world_size"] as? Int == 1)
        #expect(lines[0].hasPrefix("{\"epoch\":0,\"half_loss\":"))
        #expect(try JSONDecoder().decode(StepLog.self, from: Data(lines[3].utf8)) == logs[3])
        #expect(FileManager.default.fileExists(atPath: dir + "/training.json"))
        for file in ["model.safetensors", "optimizer.safetensors", "state.json"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/checkpoint/" + file), "\(file)")
        }
    }

    @Test("stopping writes a checkpoint; resuming continues bit for bit and cuts the log back")
    func stopAndResume() throws {
        let root = Fixtures.temporaryDirectory("loop-resume")
        let whole = Regression(epochs: 4, checkpointEvery: 3)
        let all = try whole.run(output: root + "/whole")
        #expect(all.count == 20)

        var stoppedWith: Bool?
        let part = try Regression(epochs: 4, checkpointEvery: 3).run(output: root + "/parts") { event in
            if case let .finished(_, stopped) = event { stoppedWith = stopped }
            if case let .step(log, _) = event, log.step == 7 { return .stop }
            return .more
        }
        #expect(part.count == 7 && stoppedWith == true)
        // A log line written after the checkpoint (as by a crash) is dropped on resume.
        let handle = try #require(FileHandle(forWritingAtPath: root + "/parts/training-log.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"epoch\":1,\"images\":4,\"loss\":1,\"lr\":0.1,\"step\":8}\n".utf8))
        try handle.close()
        #expect(throws: RunFolderError.self) { try Regression(epochs: 4).run(output: root + "/parts") }
        let resumed = Regression(epochs: 4, checkpointEvery: 3)
        let rest = try resumed.run(output: root + "/parts", resume: true)
        #expect(rest.map(\.step) == Array(8...20))
        #expect(rest.map(\.loss) == all.suffix(13).map(\.loss) && rest.map(\.lr) == all.suffix(13).map(\.lr))
        #expect(resumed.model.parameters()["weight"]!.scalars == whole.model.parameters()["weight"]!.scalars)
        #expect(resumed.model.parameters()["bias"]!.scalars == whole.model.parameters()["bias"]!.scalars)
        let lines = try String(contentsOfFile: root + "/parts/training-log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 20)
        #expect(throws: RunFolderError.self) { try Regression().run(output: root + "/nothing", resume: true) }
    }

    @Test("a checkpoint left mid-swap (only checkpoint.old) is recovered on resume")
    func midSwapRecovery() throws {
        let dir = Fixtures.temporaryDirectory("loop-swap") + "/run"
        _ = try Regression(epochs: 2, maxSteps: 3).run(output: dir)
        try FileManager.default.moveItem(atPath: dir + "/checkpoint", toPath: dir + "/checkpoint.old")
        let rest = try Regression(epochs: 2).run(output: dir, resume: true)
        #expect(rest.first?.step == 4 && rest.last?.step == 10)
    }

    @Test("gradient hooks run between backward and the update, in order, once per step")
    func hooks() throws {
        let frozen = Regression()
        let before = frozen.model.weight.scalars
        let zeroing = RecordingHook(zero: true)
        let session = TrainingSession(frozen, hooks: [zeroing])
        let logs = try session.next(5)
        #expect(zeroing.steps == [0, 1, 2, 3, 4] && zeroing.keys == ["weight", "bias"])
        #expect(logs.count == 5 && frozen.model.weight.scalars == before)
        // A pass-through hook changes nothing: same result as no hook.
        let a = Regression(), b = Regression()
        _ = try TrainingSession(a, hooks: [RecordingHook(zero: false)]).next(5)
        _ = try TrainingSession(b).next(5)
        #expect(a.model.weight.scalars == b.model.weight.scalars)
    }

    @Test("skipped batches take no step; the epoch is the batch's")
    func skipping() throws {
        let trainer = Regression(images: 8, batchSize: 4, epochs: 2)
        trainer.skip = Set(trainer.plan.batches(epoch: 0)[0].prefix(1))
        let session = TrainingSession(trainer)
        let logs = try session.next(10)
        #expect(logs.count == 3 && logs.map(\.step) == [1, 2, 3] && session.isFinished)
        #expect(trainer.seenEpochs == [0, 1, 1] && logs.map(\.epoch) == [0, 1, 1])
    }

    @Test("gradient-norm clipping scales every gradient by maxNorm / norm above the limit only")
    func clipping() throws {
        var g = ["a": Tensor(shape: [2], scalars: [3, 0]), "b": Tensor(shape: [1, 1], scalars: [4])]
        #expect(GradientNormClipping.norm(g) == 5)
        try GradientNormClipping(maxNorm: 10).process(&g, step: 0)
        #expect(g["a"]!.scalars == [3, 0] && g["b"]!.scalars == [4])
        try GradientNormClipping(maxNorm: 1).process(&g, step: 0)
        #expect(abs(GradientNormClipping.norm(g) - 1) < 1e-6)
        #expect(abs(Double(g["a"]!.scalars[0]) - 0.6) < 1e-6 && abs(Double(g["b"]!.scalars[0]) - 0.8) < 1e-6)
    }
}
