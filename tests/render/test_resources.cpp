// Where the program finds shaders/ and assets/ (render/resources.h), on scratch folder
// trees laid out like the build tree, an installed prefix and a third place named by
// $CONVSCOPE_RESOURCE_DIR: the order of the three, that a moved prefix still works, that
// neither the current directory nor anything else is looked at, and which paths count as
// the program's own read-only files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "app/render/resources.h"

namespace fs = std::filesystem;

namespace {

class ResourceDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/convscope_resources_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root = tmpl;
  }
  void TearDown() override {
    if (!saved_cwd.empty()) fs::current_path(saved_cwd);
    fs::remove_all(root);
  }
  // A folder holding shaders/grid.frag (which is what makes a folder count) and assets/.
  std::string with_resources(const std::string& rel) {
    const fs::path dir = root / rel;
    fs::create_directories(dir / "shaders");
    fs::create_directories(dir / "assets");
    std::ofstream(dir / "shaders" / "grid.frag") << "#version 330 core\n";
    return dir.string();
  }
  std::string empty_dir(const std::string& rel) {
    fs::create_directories(root / rel);
    return (root / rel).string();
  }
  fs::path root;
  fs::path saved_cwd;
};

TEST_F(ResourceDir, BuildTreeBesideTheExecutable) {
  const std::string build = with_resources("build");
  EXPECT_EQ(render::find_resource_dir(build, nullptr), build);
}

TEST_F(ResourceDir, InstalledPrefixRelativeToTheExecutable) {
  EXPECT_STREQ(CONVSCOPE_SHARE_FROM_BIN, "../share/convscope");  // GNUInstallDirs' usual bin/ and share/
  const std::string share = with_resources("prefix/share/convscope");
  const std::string bin = empty_dir("prefix/bin");
  EXPECT_EQ(render::find_resource_dir(bin, nullptr), share);  // normalised, no "bin/.."
}

TEST_F(ResourceDir, AMovedPrefixStillFindsItsOwnShareFolder) {
  with_resources("old/share/convscope");
  empty_dir("old/bin");
  fs::rename(root / "old", root / "moved");
  EXPECT_EQ(render::find_resource_dir((root / "moved/bin").string(), nullptr), (root / "moved/share/convscope").string());
}

TEST_F(ResourceDir, EnvironmentVariableWhenNothingIsBesideTheExecutable) {
  const std::string tests = empty_dir("build/tests/render");
  const std::string build = with_resources("build");
  EXPECT_EQ(render::find_resource_dir(tests, build.c_str()), build);
}

TEST_F(ResourceDir, BesideTheExecutableComesFirstThenShareThenTheVariable) {
  const std::string elsewhere = with_resources("elsewhere");
  const std::string share = with_resources("prefix/share/convscope");
  const std::string bin = empty_dir("prefix/bin");
  EXPECT_EQ(render::find_resource_dir(bin, elsewhere.c_str()), share);
  const std::string build = with_resources("build");
  EXPECT_EQ(render::find_resource_dir(build, elsewhere.c_str()), build);
}

TEST_F(ResourceDir, NothingFoundIsEmptyEvenWithResourcesInTheCurrentDirectory) {
  const std::string cwd = with_resources("cwd");
  const std::string bin = empty_dir("prefix/bin");
  const std::string no_resources = empty_dir("not_resources");
  saved_cwd = fs::current_path();
  fs::current_path(cwd);
  EXPECT_EQ(render::find_resource_dir(bin, nullptr), "");
  EXPECT_EQ(render::find_resource_dir(bin, no_resources.c_str()), "");
  EXPECT_EQ(render::find_resource_dir(bin, ""), "");
  // An unknown executable folder (no /proc) is not the current one, nor is its ../share.
  with_resources("share/convscope");
  fs::current_path(root / "prefix");
  EXPECT_EQ(render::find_resource_dir("", nullptr), "");
  fs::current_path(cwd);
  EXPECT_EQ(render::find_resource_dir("", nullptr), "");
}

TEST_F(ResourceDir, OnlyShadersAndAssetsAreTheProgramsOwnFiles) {
  const std::string share = with_resources("share/convscope");
  EXPECT_TRUE(render::is_inside_resources(share + "/assets/presets/seed_conv2d.json", share));
  EXPECT_TRUE(render::is_inside_resources(share + "/assets/new_folder/new.json", share));  // not yet existing
  EXPECT_TRUE(render::is_inside_resources(share + "/shaders/grid.frag", share));
  EXPECT_FALSE(render::is_inside_resources(share + "/assets/../mine.json", share));
  EXPECT_FALSE(render::is_inside_resources(share + "/assets_old/x.json", share));
  EXPECT_FALSE(render::is_inside_resources((root / "home/mine.json").string(), share));
  // The build tree's resource folder is build/ itself: build/tests/… stays writable.
  const std::string build = with_resources("build");
  EXPECT_FALSE(render::is_inside_resources(build + "/tests/gui/saved.json", build));
  // Relative paths are taken from the current directory.
  saved_cwd = fs::current_path();
  fs::current_path(share + "/assets");
  EXPECT_TRUE(render::is_inside_resources("presets/x.json", share));
  EXPECT_FALSE(render::is_inside_resources("../../x.json", share));
}

TEST(Font, DejaVuSansFromFontsDejavuCore) {
  EXPECT_EQ(render::find_font(false), "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  EXPECT_EQ(render::find_font(true), "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
}

}  // namespace
