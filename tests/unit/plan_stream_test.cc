// The plan's own stream (`tofu plan -json-into=FILE`) read into the summary the show gives.
// The fixtures under tests/data/plan-stream/ were written by OpenTofu 1.12.6 over terraform_data
// configs (docs/terragrunt.md, The plan's own stream); refresh lines are left out.
#include "stackctl/journal/plan_stream.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

namespace stackctl {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) {
  std::ifstream in(fs::path(STACKCTL_SOURCE_DIR) / "tests/data/plan-stream" / name,
                   std::ios::binary);
  EXPECT_TRUE(in) << name;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

PlanSummary stream_ok(const std::string& text) {
  std::string error;
  auto s = parse_plan_stream(text, error);
  EXPECT_TRUE(s.has_value()) << error;
  return s.value_or(PlanSummary{});
}

std::string stream_error(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_plan_stream(text, error).has_value());
  return error;
}

std::string addresses(const std::vector<ResourceChange>& list) {
  std::string out;
  for (const auto& c : list)
    out += c.address + "=" + c.action +
           (c.previous_address.empty() ? "" : "<" + c.previous_address) +
           (c.importing ? "+import" : "") + " ";
  return out;
}

std::string deletions(const std::vector<Deletion>& list) {
  std::string out;
  for (const auto& d : list) out += d.address + "=" + d.action + " ";
  return out;
}

TEST(PlanStream, AFreshPlanCreatesEveryResourceAndOutput) {
  PlanSummary s = stream_ok(fixture("create.jsonl"));
  EXPECT_EQ(changes_text(s.counts), "+7 ~0 -0 outputs 3");
  EXPECT_EQ(addresses(s.changes),
            "terraform_data.cbd=create terraform_data.del=create terraform_data.forget=create "
            "terraform_data.old=create terraform_data.rep=create terraform_data.same=create "
            "terraform_data.upd=create ");
  EXPECT_EQ(addresses(s.outputs), "output.gone=create output.keep=create output.o1=create ");
  EXPECT_TRUE(s.deletions.empty());
}

TEST(PlanStream, EveryShapeOfChangeGivesTheSummaryTheShowGives) {
  std::string error;
  auto show = parse_plan_json(fixture("mixed.show.json"), error);
  ASSERT_TRUE(show) << error;
  PlanSummary s = stream_ok(fixture("mixed.jsonl"));
  EXPECT_EQ(changes_text(s.counts), changes_text(show->counts));
  EXPECT_EQ(changes_text(s.counts), "+2 ~1 -3 import 1 move 1 forget 1 outputs 3 read 1");
  EXPECT_EQ(s.counts.replace, 2);
  EXPECT_EQ(addresses(s.changes), addresses(show->changes));
  EXPECT_EQ(addresses(s.outputs), addresses(show->outputs));
  EXPECT_EQ(deletions(s.deletions), deletions(show->deletions));
  EXPECT_EQ(deletions(s.deletions),
            "terraform_data.cbd=replace terraform_data.del=delete terraform_data.rep=replace ");
  EXPECT_EQ(s.counts.any(), show->counts.any());
}

TEST(PlanStream, AReplaceDoesNotSayWhichComesFirstAndADeleteSaysDelete) {
  PlanSummary s = stream_ok(fixture("mixed.jsonl"));
  ASSERT_EQ(s.deletions.size(), 3u);
  EXPECT_EQ(s.deletions[0].actions, std::vector<std::string>{});  // create_before_destroy
  EXPECT_EQ(s.deletions[1].actions, std::vector<std::string>{"delete"});
  EXPECT_EQ(s.deletions[2].actions, std::vector<std::string>{});  // destroy then create
}

TEST(PlanStream, NoChangesIsAnEmptySummary) {
  PlanSummary s = stream_ok(fixture("nochange.jsonl"));
  EXPECT_EQ(changes_text(s.counts), "+0 ~0 -0");
  EXPECT_FALSE(s.counts.any());
  EXPECT_TRUE(s.changes.empty());
  EXPECT_TRUE(s.outputs.empty());
}

// OpenTofu 1.12.6 streams a replace under `lifecycle { destroy = false }` (show: ["forget",
// "create"]) as "noop": the stream hides what the guard must see, so it cannot stand in.
TEST(PlanStream, AReplaceThatForgetsIsStreamedAsNoopAndRefused) {
  EXPECT_EQ(stream_error(fixture("combo.jsonl")),
            "plan stream does not say what the plan does to terraform_data.upd (action \"noop\")");
}

TEST(PlanStream, AnImportOrMoveWithAnUpdateCountsBoth) {
  std::string text = fixture("combo.jsonl");
  // Without the hidden replace (and its counts), the rest reads as the show reads it.
  std::string kept;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t eol = text.find('\n', at);
    std::string line = text.substr(at, eol - at + 1);
    at = eol + 1;
    if (line.find("\"action\":\"noop\",\"reason\"") != std::string::npos) continue;
    if (line.find("change_summary") != std::string::npos) {
      auto pos = line.find("\"add\":1");
      line.replace(pos, 7, "\"add\":0");
      pos = line.find("\"forget\":1");
      line.replace(pos, 10, "\"forget\":0");
    }
    kept += line;
  }
  PlanSummary s = stream_ok(kept);
  EXPECT_EQ(changes_text(s.counts), "+0 ~2 -0 import 1 move 1");
  EXPECT_EQ(addresses(s.changes),
            "terraform_data.imp2=update+import terraform_data.new2=update<terraform_data.new ");
}

TEST(PlanStream, AnIncompleteOrForeignStreamIsRefused) {
  const std::string text = fixture("mixed.jsonl");
  EXPECT_EQ(stream_error(""), "plan stream is empty");
  EXPECT_EQ(stream_error(text.substr(0, text.size() - 20)),
            "plan stream ends in the middle of a line");
  EXPECT_EQ(stream_error(text.substr(0, text.find("change_summary") - 200) + "\n"),
            "plan stream line 10 is not a JSON object");
  const std::size_t summary = text.rfind('\n', text.find("change_summary"));
  EXPECT_EQ(stream_error(text.substr(0, summary + 1)), "plan stream has no change_summary");
  EXPECT_EQ(stream_error("{\"type\":\"planned_change\",\"change\":{\"resource\":{\"addr\":\"a.b\","
                         "\"resource\":\"a.b\"},"
                         "\"action\":\"delete\"}}\n{\"type\":\"change_summary\",\"changes\":{"
                         "\"add\":0,\"change\":0,"
                         "\"import\":0,\"remove\":0,\"forget\":0}}\n"),
            "plan stream's planned changes do not add up to its change_summary "
            "({\"add\":0,\"change\":0,\"forget\":0,\"import\":0,\"remove\":0})");
}

TEST(PlanStream, ALostPlannedChangeDoesNotAddUp) {
  std::string text = fixture("mixed.jsonl");
  const std::size_t del =
      text.find("{\"@level\":\"info\",\"@message\":\"terraform_data.del: Plan to delete\"");
  ASSERT_NE(del, std::string::npos);
  text.erase(del, text.find('\n', del) - del + 1);
  EXPECT_EQ(stream_error(text).rfind(
                "plan stream's planned changes do not add up to its change_summary", 0),
            0u);
}

}  // namespace
}  // namespace stackctl
