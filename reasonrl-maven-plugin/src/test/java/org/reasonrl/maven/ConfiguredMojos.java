package org.reasonrl.maven;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Goals configured as Maven would: every parameter's default from the plugin descriptor this
 * build generated ({@code META-INF/maven/plugin.xml}), then the values a test sets, injected into
 * the fields by name. Only the expressions the goals' defaults use are understood.
 */
final class ConfiguredMojos {

  private ConfiguredMojos() {}

  static <T> T configure(Class<T> type, Path buildDirectory, Map<String, Object> values) {
    try {
      T mojo = type.getDeclaredConstructor().newInstance();
      Element descriptor = mojoDescriptor(type);
      String goal = text(descriptor, "goal");
      NodeList configuration = ((Element) descriptor.getElementsByTagName("configuration")
          .item(0)).getChildNodes();
      for (int i = 0; i < configuration.getLength(); i++) {
        if (configuration.item(i) instanceof Element parameter
            && parameter.hasAttribute("default-value")) {
          set(mojo, parameter.getTagName(),
              defaultValue(parameter.getAttribute("default-value"), goal, buildDirectory));
        }
      }
      for (Map.Entry<String, Object> value : values.entrySet()) {
        set(mojo, value.getKey(), value.getValue());
      }
      return mojo;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object defaultValue(String expression, String goal, Path buildDirectory) {
    return switch (expression) {
      case "${project.build.directory}" -> buildDirectory.toFile();
      case "${basedir}" -> buildDirectory.getParent().toFile();
      case "${session}" -> null; // no session: no user properties to check
      case "${mojoExecution}" -> {
        MojoDescriptor descriptor = new MojoDescriptor();
        descriptor.setGoal(goal);
        yield new MojoExecution(descriptor);
      }
      default -> {
        if (expression.contains("${")) {
          throw new IllegalArgumentException("unexpected default " + expression);
        }
        yield expression;
      }
    };
  }

  private static void set(Object mojo, String name, Object value)
      throws ReflectiveOperationException {
    Field field = field(mojo.getClass(), name);
    field.setAccessible(true);
    field.set(mojo, convert(value, field.getType()));
  }

  private static Object convert(Object value, Class<?> type) {
    if (!(value instanceof String text) || type == String.class) {
      return value;
    }
    if (type == int.class || type == Integer.class) {
      return Integer.valueOf(text);
    }
    if (type == long.class || type == Long.class) {
      return Long.valueOf(text);
    }
    if (type == double.class || type == Double.class) {
      return Double.valueOf(text);
    }
    if (type == boolean.class || type == Boolean.class) {
      return Boolean.valueOf(text);
    }
    if (type == File.class) {
      return new File(text);
    }
    throw new IllegalArgumentException("cannot convert '" + text + "' to " + type);
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // declared higher up
      }
    }
    throw new NoSuchFieldException(name + " in " + type);
  }

  private static Element mojoDescriptor(Class<?> type) {
    try (InputStream in = ConfiguredMojos.class.getResourceAsStream(
        "/META-INF/maven/plugin.xml")) {
      if (in == null) {
        throw new IllegalStateException("no generated plugin descriptor on the class path");
      }
      Document plugin = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
      NodeList mojos = plugin.getElementsByTagName("mojo");
      for (int i = 0; i < mojos.getLength(); i++) {
        Element mojo = (Element) mojos.item(i);
        if (type.getName().equals(text(mojo, "implementation"))) {
          return mojo;
        }
      }
      throw new IllegalArgumentException("no mojo " + type.getName() + " in plugin.xml");
    } catch (IOException | ParserConfigurationException | SAXException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The text of the mojo's own child element (not of a nested parameter's). */
  private static String text(Element mojo, String child) {
    for (Node n = mojo.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(child)) {
        return e.getTextContent().trim();
      }
    }
    throw new IllegalArgumentException("mojo without <" + child + ">");
  }
}
