// In-process timing of MKTTokenizer, compiled together with the module's sources by
// scripts/measure_tokenizer.py (no package target needed):
//     bench MODEL_DIR PROMPTS.txt FIXTURE_TEXTS.txt
import Foundation

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func best(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs { times.append(try seconds(body)) }
    return times.min()!
}

let arguments = CommandLine.arguments
let model = arguments[1]
let prompts = try TextLines.split(String(contentsOfFile: arguments[2], encoding: .utf8), path: arguments[2])
let fixture = try TextLines.split(String(contentsOfFile: arguments[3], encoding: .utf8), path: arguments[3])

let load = try best(5) { _ = try CLIPTokenizer(directory: model) }
print(String(format: "load vocab.json + merges.txt: %.1f ms (best of 5)", load * 1000))

for (name, texts) in [("label prompts", prompts), ("fixture texts", fixture)] {
    // Cold: a fresh tokenizer (empty word cache), one thread.
    var cold: [Double] = []
    for _ in 0..<5 {
        let tokenizer = try CLIPTokenizer(directory: model)
        cold.append(seconds { for text in texts { _ = tokenizer.tokenize(text) } })
    }
    let tokenizer = try CLIPTokenizer(directory: model)
    for text in texts { _ = tokenizer.tokenize(text) }
    let warm = best(5) { for text in texts { _ = tokenizer.tokenize(text) } }
    let batch = best(5) { _ = tokenizer.tokenize(texts) }
    let clean = best(5) { for text in texts { _ = CLIPTextCleaner.clean(text) } }
    print(String(format: "%d %@: cold cache %.2f ms (%.0f texts/s), warm cache %.2f ms (%.0f texts/s), "
                 + "batch API on all cores %.2f ms (%.0f texts/s); cleaning alone %.2f ms",
                 texts.count, name, cold.min()! * 1000, Double(texts.count) / cold.min()!,
                 warm * 1000, Double(texts.count) / warm, batch * 1000, Double(texts.count) / batch, clean * 1000))
}
