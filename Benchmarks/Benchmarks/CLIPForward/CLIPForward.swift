import Benchmark
import BenchmarkSupport
import Foundation
import MKTCLIP
import MKTNN
import MKTSupport
import MKTTensor
import MKTTokenizer

// CLIP forward passes with random weights (speed does not depend on the values):
// the ViT-B/32-sized image tower (12 layers, width 768, 50 tokens) at batch 1 and 8, and the
// text tower (12 layers, width 512) over "There is a {} in the scene" for NUS-WIDE's 81 concept
// names, tokenization included. Custom metrics: images/s and prompts/s.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 50)

    let model = Lazy { () -> CLIPModel in
        let clip = CLIPModel(CLIPConfiguration())                    // ViT-B/32 sizes by default
        var rng = SplitMix64(seed: 1)
        for (key, p) in clip.namedParameterBoxes() {
            let shape = p.wrappedValue.shape
            p.wrappedValue = key.contains("norm") && key.hasSuffix(".weight") ? .ones(shape) : .normal(shape, std: 0.02, using: &rng)
        }
        return clip
    }
    for batch in [1, 8] {
        let pixels = Lazy { () -> Tensor in
            var rng = SplitMix64(seed: 2)
            return Tensor.normal([batch, 3, 224, 224], using: &rng)
        }
        Benchmark("image.b32.batch\(batch)", configuration: .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, imagesPerSecond])) { benchmark in
            let (clip, x) = (model.value, pixels.value)
            let seconds = timed(benchmark) { blackHole(Tape.withoutRecording { clip.imageFeatures(x) }) }
            benchmark.measurement(imagesPerSecond, Int(Double(batch) / seconds))
        }
    }
    let folder = repositoryRoot + "/Tests/Fixtures/clip-bpe"
    let tokenizer = Lazy { () -> Result<CLIPTokenizer, any Error> in
        Result { try CLIPTokenizer(vocabularyFile: folder + "/vocab.json", mergesFile: folder + "/merges.txt") }
    }
    let prompts = concepts.map { "There is a \($0) in the scene" }
    Benchmark("text.prompts81", configuration: .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, promptsPerSecond])) { benchmark in
        let (clip, bpe) = (model.value, try tokenizer.value.get())
        let seconds = timed(benchmark) { blackHole(clip.embedTexts(prompts, tokenizer: bpe)) }
        benchmark.measurement(promptsPerSecond, Int(Double(prompts.count) / seconds))
    }
}

let imagesPerSecond = BenchmarkMetric.custom("images/s", polarity: .prefersLarger, useScalingFactor: false)
let promptsPerSecond = BenchmarkMetric.custom("prompts/s", polarity: .prefersLarger, useScalingFactor: false)

/// The repository's root folder (this file is Benchmarks/Benchmarks/CLIPForward/CLIPForward.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

/// NUS-WIDE's 81 concepts.
let concepts = """
    airport animal beach bear birds boats book bridge buildings cars castle cat cityscape clouds computer coral \
    cow dancing dog earthquake elk fire fish flags flowers food fox frost garden glacier grass harbor horses \
    house lake leaf map military moon mountain nighttime ocean person plane plants police protest railroad \
    rainbow reflection road rocks running sand sign sky snow soccer sports statue street sun sunset surf \
    swimmers tattoo temple tiger tower town toy train tree valley vehicle water waterfall wedding whales window zebra
    """.split(separator: " ").map(String.init)
