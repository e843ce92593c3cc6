// DumpDescriptors writes the FileDescriptorSet of the RocketMQ v2 gRPC API,
// as compiled into the published org.apache.rocketmq:rocketmq-proto jar
// (the jar ships the protoc-generated Java classes, which embed their
// descriptors, but not the .proto sources). protoc reads the set with
// --descriptor_set_in. Run by scripts/grpc/generate.sh as a single-file
// source program: java -cp <rocketmq-proto.jar>:<protobuf-java.jar> DumpDescriptors.java OUT
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.Set;

public class DumpDescriptors {
    public static void main(String[] args) throws Exception {
        Set<String> seen = new LinkedHashSet<>();
        FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
        for (String cls : new String[] {"apache.rocketmq.v2.MQService", "apache.rocketmq.v2.MQDomain", "apache.rocketmq.v2.MQAdmin"}) {
            Class<?> c;
            try {
                c = Class.forName(cls);
            } catch (ClassNotFoundException e) {
                continue;
            }
            add((FileDescriptor) c.getMethod("getDescriptor").invoke(null), seen, set);
        }
        try (OutputStream out = new FileOutputStream(args[0])) {
            set.build().writeTo(out);
        }
        for (String name : seen) {
            System.out.println(name);
        }
    }

    // add appends f after its dependencies (protoc wants them first).
    private static void add(FileDescriptor f, Set<String> seen, FileDescriptorSet.Builder set) {
        if (seen.contains(f.getName())) {
            return;
        }
        for (FileDescriptor d : f.getDependencies()) {
            add(d, seen, set);
        }
        seen.add(f.getName());
        set.addFile(f.toProto());
    }
}
