// The README's "A short example": compiled with the package, and kept equal to the README by
// scripts/check_examples.py. It only needs to compile (its files do not exist here).

import MKTCLIP
import MKTData
import MKTDistill
import MKTFormats
import MKTStudent
import MKTTokenizer

let teacher = try CLIPModel.load(directory: "models/clip-vit-base-patch16")
let tokenizer = try CLIPTokenizer(directory: "models/clip-vit-base-patch16")
let seenLabels = try TextList.labels("seen.txt"), unseenLabels = try TextList.labels("unseen.txt")
let seen = teacher.embedTexts(seenLabels.map { "There is a \($0) in the scene" }, tokenizer: tokenizer)

// Stage 1: the student learns the seen labels, kept close to the teacher.
let student = try TwoStreamStudent.load(directory: "models/clip-vit-base-patch16")
let frozenTeacher = try TwoStreamStudent.load(directory: "models/clip-vit-base-patch16")
let data = try ImageListImages.read(list: "train.txt", labels: "train-seen.npy", size: 224, augment: true, seed: 42)
let settings = DistillationConfiguration()        // the reference's hyperparameters
try DistillationTrainer(student: student, teacher: frozenTeacher, labelEmbeddings: seen,
                        data: data, configuration: settings).run(output: "runs/stage1")

// Open vocabulary: score labels never annotated in training.
let unseen = teacher.embedTexts(unseenLabels.map { "There is a \($0) in the scene" }, tokenizer: tokenizer)
let testImages = try ImageFiles(list: "test.txt", preset: .mkt, size: 224)
let scores = try testImages.map(batchSize: 16) { pixels in                  // [N, U]
    student.scores(pixels: pixels, labelEmbeddings: unseen, scoring: TwoStreamScoring(topK: 16))
}
