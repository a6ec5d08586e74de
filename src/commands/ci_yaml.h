#pragma once
// A small YAML writer for the generated pipelines: a tree of maps, sequences and scalars,
// emitted in block style with every scalar that could read as anything but a plain string
// double-quoted. yaml-cpp stays confined to the loaders, so the writer is its own.
#include <string>
#include <vector>

namespace stackctl::yaml_text {

/// One node: a scalar, a map (ordered) or a sequence.
class Node {
 public:
  enum class Kind { Scalar, Map, Seq };

  /// A string scalar.
  static Node scalar(std::string value);
  /// A boolean, written as true/false without quotes.
  static Node boolean(bool value);
  /// An empty map.
  static Node map();
  /// A sequence; flow = written `[a, b]` (only for sequences of scalars).
  static Node seq(bool flow = false);
  /// A flow sequence of string scalars.
  static Node list(const std::vector<std::string>& items);

  /// Appends key: value to a map; returns the value as stored. Comments go above the key.
  Node& set(const std::string& key, Node value, std::vector<std::string> comments = {});
  /// Appends an item to a sequence; returns it as stored.
  Node& add(Node item);

  Kind kind() const { return kind_; }
  const std::string& value() const { return value_; }
  const std::vector<std::string>& keys() const { return keys_; }
  const std::vector<Node>& children() const { return children_; }
  const std::vector<std::vector<std::string>>& comments() const { return comments_; }
  bool flow() const { return flow_; }
  bool raw() const { return raw_; }

 private:
  Kind kind_ = Kind::Scalar;
  std::string value_;
  bool flow_ = false;
  bool raw_ = false;                                ///< scalars written as they are (booleans)
  std::vector<std::string> keys_;                   ///< maps: one per child
  std::vector<Node> children_;                      ///< map values or sequence items
  std::vector<std::vector<std::string>> comments_;  ///< maps: comment lines above each key
};

/// The scalar as YAML: plain when it can only read as that string, else double-quoted.
/// in_flow: inside `[...]`, where commas and spaces end a plain scalar.
std::string scalar_text(const std::string& value, bool in_flow);

/// The document: header comment lines, then the root map.
std::string emit(const Node& root, const std::vector<std::string>& header);

}  // namespace stackctl::yaml_text
