package main

import (
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/gridwire/gridwire/energy"
)

// The plot's size: four panels one above the other, with room on the right
// for their legends.
const (
	plotWidth  = 29 * vg.Centimeter
	plotHeight = 30 * vg.Centimeter
	legendRoom = 5.5 * vg.Centimeter
)

// writePlots draws the day into dir as sandbox.png and sandbox.svg (those
// of formats) and returns their paths.
func writePlots(dir string, formats []string, s *site, samples []sample, day *dayPrices, loc *time.Location) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	plots := panels(s, samples, day, loc)
	png := vgimg.NewWith(vgimg.UseWH(plotWidth, plotHeight), vgimg.UseDPI(110))
	svg := vgsvg.New(plotWidth, plotHeight)
	var paths []string
	for _, out := range []struct {
		canvas interface {
			vg.CanvasSizer
			io.WriterTo
		}
		name string
	}{{vgimg.PngCanvas{Canvas: png}, "png"}, {svg, "svg"}} {
		if !slices.Contains(formats, out.name) {
			continue
		}
		dc := draw.New(out.canvas)
		// A white background, so the PNG reads on dark pages too.
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
		tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadY: vg.Centimeter / 2, PadTop: vg.Centimeter / 4,
			PadBottom: vg.Centimeter / 4, PadLeft: vg.Centimeter / 4, PadRight: legendRoom}
		canvases := plot.Align(column(plots), tiles, dc)
		for i, p := range plots {
			// The legend goes right of the data, in the room kept for it,
			// where it hides no line.
			p.Legend.XOffs = 0
			r := p.Legend.Rectangle(p.DataCanvas(canvases[i][0]))
			p.Legend.XOffs = r.Max.X - r.Min.X + vg.Millimeter*3
			p.Draw(canvases[i][0])
		}
		path := filepath.Join(dir, "sandbox."+out.name)
		if err := writeFile(path, out.canvas); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func column(ps []*plot.Plot) [][]*plot.Plot {
	out := make([][]*plot.Plot, len(ps))
	for i, p := range ps {
		out[i] = []*plot.Plot{p}
	}
	return out
}

func writeFile(path string, w io.WriterTo) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := w.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// panels builds the four panels: prices, states of charge, battery powers
// and charger currents, over the day.
func panels(s *site, samples []sample, day *dayPrices, loc *time.Location) []*plot.Plot {
	x := func(t time.Time) float64 { return float64(t.Unix()) }
	newPanel := func(title, unit string) *plot.Plot {
		p := plot.New()
		p.Title.Text = title
		p.Y.Label.Text = unit
		p.X.Label.Text = "time (" + loc.String() + ")"
		p.X.Tick.Marker = hourTicks{loc}
		p.Legend.Top = true
		p.Add(plotter.NewGrid())
		return p
	}
	line := func(p *plot.Plot, name string, i int, dashed bool, xys plotter.XYs) {
		l, err := plotter.NewLine(xys)
		if err != nil {
			return // no points to draw
		}
		// Each reading holds until the next, as the bill counts it.
		l.StepStyle = plotter.PostStep
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		if dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		p.Legend.Add(name, l)
	}
	steps := func(ps []energy.Price) plotter.XYs {
		var xys plotter.XYs
		for _, p := range ps {
			xys = append(xys, plotter.XY{X: x(p.Start), Y: p.PerKWh}, plotter.XY{X: x(p.End), Y: p.PerKWh})
		}
		return xys
	}
	series := func(f func(sample) float64) plotter.XYs {
		xys := make(plotter.XYs, len(samples))
		for i, smp := range samples {
			xys[i] = plotter.XY{X: x(smp.At), Y: f(smp)}
		}
		return xys
	}

	title, unit := "Amber prices", day.Currency+"/kWh"
	if len(day.Volue) > 0 {
		// Two currencies on one axis: each series says its own.
		title = fmt.Sprintf("Prices: Amber (%s/kWh), billed; Volue (%s/kWh), for comparison", day.Currency, day.VolueCurrency)
		unit = "per kWh"
	}
	price := newPanel(title, unit)
	line(price, "Amber import ("+day.Currency+")", 0, false, steps(day.Import))
	line(price, "Amber export, paid ("+day.Currency+")", 1, false, steps(day.Export))
	if len(day.Volue) > 0 {
		line(price, "Volue import ("+day.VolueCurrency+")", 2, false, steps(day.Volue))
	}

	soc := newPanel("State of charge", "%")
	soc.Y.Min, soc.Y.Max = 0, 100
	power := newPanel("Battery power (+ discharging)", "kW")
	for j, m := range s.batteries {
		line(soc, m.Name, j, false, series(func(smp sample) float64 { return smp.Batteries[j].SoC.Percent() }))
		line(power, m.Name, j, false, series(func(smp sample) float64 { return smp.Batteries[j].Power.Kilowatts() }))
	}
	line(soc, "alphaess left alone", 0, true, series(func(smp sample) float64 { return smp.Twin.SoC.Percent() }))

	current := newPanel("EV charger current (per phase)", "A")
	current.Y.Min = 0
	var limit plotter.XYs
	for _, smp := range samples {
		if smp.Limited {
			limit = append(limit, plotter.XY{X: x(smp.At), Y: float64(smp.Capacity)})
		}
	}
	if len(limit) > 0 {
		// Both chargers together, wide and pale, under the chargers' own
		// lines; the OSCP limit it keeps to goes on top.
		if l, err := plotter.NewLine(series(func(smp sample) float64 { return float64(smp.drawn()) })); err == nil {
			l.StepStyle = plotter.PostStep
			l.Color = color.Gray{Y: 200}
			l.Width = vg.Points(5)
			current.Add(l)
			current.Legend.Add("both drawn", l)
		}
	}
	for j, c := range s.chargers {
		line(current, c.Name+" drawn", j, false, series(func(smp sample) float64 { return float64(smp.Chargers[j].Current) }))
		line(current, c.Name+" limit", j, true, series(func(smp sample) float64 { return float64(smp.Chargers[j].Limit) }))
	}
	if len(limit) > 0 {
		line(current, "OSCP limit, both", 3, true, limit)
	}
	for _, p := range []*plot.Plot{price, soc, power, current} {
		p.X.Min, p.X.Max = x(day.Import[0].Start), x(day.Import[len(day.Import)-1].End)
	}
	return []*plot.Plot{price, soc, power, current}
}

// hourTicks marks every hour of the day, labelling every third, in loc.
type hourTicks struct{ loc *time.Location }

func (h hourTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	t := time.Unix(int64(lo), 0).In(h.loc).Truncate(time.Hour)
	for ; !t.After(time.Unix(int64(hi), 0)); t = t.Add(time.Hour) {
		if float64(t.Unix()) < lo {
			continue
		}
		tick := plot.Tick{Value: float64(t.Unix())}
		if t.In(h.loc).Hour()%3 == 0 {
			tick.Label = t.In(h.loc).Format("15:04")
		}
		ticks = append(ticks, tick)
	}
	return ticks
}
