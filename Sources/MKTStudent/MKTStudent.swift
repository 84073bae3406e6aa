/// The MKT two-stream (local top-k patches + global CLS) student.
public enum MKTStudentModule {}
