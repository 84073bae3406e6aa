// The example of Docs/CLIP.md, compiled (not run) and kept equal to the document by
// scripts/check_examples.py.
import MKTCLIP
import MKTData
import MKTTokenizer

/// Image and text embeddings and zero-shot scores with a Hugging Face CLIP folder.
func clipEmbeddingsAndZeroShot() throws {
    let clip = try CLIPModel.load(directory: "models/clip-vit-base-patch16")
    let tokenizer = try CLIPTokenizer(directory: "models/clip-vit-base-patch16")
    let files = try ImageFiles(list: "images.txt", preset: .clip, size: clip.configuration.vision.imageSize)
    let images = try files.map(batchSize: 16) { clip.imageFeatures($0) }    // [N, 512]
    let labels = clip.embedTexts(["There is a dog in the scene"], tokenizer: tokenizer)
    let zeroShot = TextClassifier(labels: ["dog", "cat"], templates: ["a photo of a {}.", "There is a {} in the scene"],
                                  model: clip, tokenizer: tokenizer)
    let scores = zeroShot.scores(imageEmbeddings: images)                   // cosine [N, L]
    _ = (labels, scores)
}
