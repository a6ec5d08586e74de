#include "stackctl/runner/redact.h"

#include <gtest/gtest.h>

namespace stackctl {
namespace {

TEST(IsSecretName, MatchesPassSecretTokenKeyInAnyCase) {
  for (const char* name : {"AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "db_password", "PGPASSWORD",
                           "api_key", "Vault_Token", "SSH_KEY_FILE"})
    EXPECT_TRUE(is_secret_name(name)) << name;
  for (const char* name : {"AWS_REGION", "ENV", "PATH", "AWS_PROFILE", "TF_INPUT", ""})
    EXPECT_FALSE(is_secret_name(name)) << name;
}

TEST(SecretValues, TakesSecretNamedAndListedVariablesSkippingShortAndDuplicates) {
  const EnvVars env = {{"AWS_REGION", "us-east-1"},
                       {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"},
                       {"DB_PASSWORD", "abc"},          // too short
                       {"GITHUB_TOKEN", ""},            // empty
                       {"ACCOUNT_ID", "123456789012"},  // listed by name
                       {"OTHER_TOKEN", "wJalrXUtnFEMI"}};
  EXPECT_EQ(secret_values(env, {"ACCOUNT_ID"}),
            (std::vector<std::string>{"wJalrXUtnFEMI", "123456789012"}));
  EXPECT_EQ(secret_values(env, {}), (std::vector<std::string>{"wJalrXUtnFEMI"}));
}

TEST(Redactor, ReplacesEveryOccurrence) {
  Redactor r({"hunter22"});
  EXPECT_EQ(r.apply("pw=hunter22, again hunter22hunter22."), "pw=***, again ******.");
  EXPECT_EQ(r.apply("nothing here"), "nothing here");
  EXPECT_EQ(r.apply(""), "");
}

TEST(Redactor, LongerSecretWinsWhereTwoOverlap) {
  Redactor r({"abcd", "abcdefgh", "efgh1"});
  EXPECT_EQ(r.apply("x abcdefgh1 y"), "x ***1 y");
  EXPECT_EQ(r.apply("abcd efgh1"), "*** ***");
}

TEST(Redactor, IgnoresEmptyAndShortValues) {
  Redactor r({"", "a", "no", "abc"});
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.apply("a no abc"), "a no abc");
  EXPECT_FALSE(Redactor({"abcd"}).empty());
}

TEST(Redactor, HandlesManySecretsOnManyLines) {
  std::vector<std::string> secrets;
  for (int i = 0; i < 50; ++i) secrets.push_back("secret-" + std::to_string(i) + "-value");
  Redactor r(secrets);
  std::string text, expected;
  for (int i = 0; i < 2000; ++i) {
    text += "line " + std::to_string(i) + " secret-" + std::to_string(i % 60) + "-value\n";
    expected += "line " + std::to_string(i) + " " +
                (i % 60 < 50 ? std::string("***") : "secret-" + std::to_string(i % 60) + "-value") +
                "\n";
  }
  EXPECT_EQ(r.apply(text), expected);
}

}  // namespace
}  // namespace stackctl
