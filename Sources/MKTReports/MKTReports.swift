/// Markdown, JSON and HTML reports of evaluation results.
public enum MKTReportsModule {}
