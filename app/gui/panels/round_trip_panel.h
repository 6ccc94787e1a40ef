// round_trip_panel.h — input → Conv2D → Conv2DTranspose as one view: the
// restored shape and the different values side by side (model/round_trip.h).
#pragma once

#include <optional>
#include <string>

#include "app/model/round_trip.h"

namespace gui {

class App;

struct RoundTripPanel {
  bool open = false;
  std::optional<model::RoundTrip> result;
  int source_pane = -1, transpose_pane = -1;  // the conv pane and the transpose pane it added
  // From the focused Conv2D pane: computes the round trip and adds its
  // transpose as a pane beside it ("Duplicate as other op" with the
  // output_padding that restores the shape). A refusal goes to the status line.
  void start(App& app);
};

void draw_round_trip_panel(App& app, RoundTripPanel& panel);

}  // namespace gui
