package io.inboxrelay.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * template.yaml with CloudFormation's short-form tags kept as their long form ({@code !Ref X} →
 * {@code {"Ref": "X"}}, {@code !If [...]} → {@code {"Fn::If": [...]}}), for tests that must tell an
 * {@code !If} or a {@code !Not} from a plain list (the local stack's reader drops the tags).
 */
final class CfnYaml extends SafeConstructor {

    private CfnYaml() {
        super(new LoaderOptions());
        yamlMultiConstructors.put("!", new AbstractConstruct() {
            @Override
            public Object construct(Node node) {
                String tag = node.getTag().getValue().substring(1);
                String key = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(key, value);
            }
        });
    }

    static JsonNode read(Path template) throws IOException {
        Object loaded = new Yaml(new CfnYaml()).load(Files.readString(template));
        return Json.MAPPER.valueToTree(loaded);
    }

    static JsonNode repositoryTemplate() throws IOException {
        String configured = System.getProperty("template.file");
        if (configured != null) {
            return read(Path.of(configured));
        }
        for (Path candidate : java.util.List.of(Path.of("template.yaml"), Path.of("../template.yaml"))) {
            if (Files.isRegularFile(candidate)) {
                return read(candidate);
            }
        }
        throw new IllegalStateException("template.yaml not found");
    }
}
