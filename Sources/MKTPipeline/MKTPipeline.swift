/// Pipelines of stages declared with a result builder.
public enum MKTPipelineModule {}
