import { readFileSync } from 'node:fs';
import { geoArea, geoPath, geoTransverseMercator, type GeoContext } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

/** One area of the map, projected: its SVG path in the coordinates of the viewBox. */
export interface Shape {
  ags: string;
  name: string;
  d: string;
}

/** The region drawn once: municipalities (one link each) and the district boundaries on top. */
export interface RegionGeo {
  width: number;
  height: number;
  municipalities: Shape[];
  districts: Shape[];
}

type Area = Feature<Polygon | MultiPolygon, { level: 'gemeinde' | 'kreis'; ags: string; name: string }>;

const MAP_WIDTH = 800;
const PADDING = 8;

/**
 * d3-geo reads a ring on the sphere: clockwise encloses the polygon, counter-clockwise encloses the rest
 * of the globe. Files that follow RFC 7946 wind exterior rings counter-clockwise, which would draw every
 * municipality as "the world minus the municipality", so such polygons are turned round.
 */
function clockwise(rings: Position[][]): Position[][] {
  return geoArea({ type: 'Polygon', coordinates: rings }) > 2 * Math.PI ? rings.map((ring) => [...ring].reverse()) : rings;
}

function rewound(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon {
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: clockwise(geometry.coordinates) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(clockwise) };
}

/** The features of a region file, checked: a file that cannot be drawn stops the start with a clear message. */
export function readAreas(file: string): Area[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<FeatureCollection>;
  if (!Array.isArray(data.features) || data.features.length === 0) throw new Error(`${file}: no features`);
  const areas = data.features.map((f, n) => {
    const p = (f?.properties ?? {}) as Record<string, unknown>;
    const where = `${file}: feature ${n + 1}`;
    if (typeof p.ags !== 'string' || p.ags === '') throw new Error(`${where} has no ags`);
    if (p.level !== 'gemeinde' && p.level !== 'kreis') throw new Error(`${where} (${p.ags}) has level "${String(p.level)}", not "gemeinde" or "kreis"`);
    if (f.geometry?.type !== 'Polygon' && f.geometry?.type !== 'MultiPolygon') throw new Error(`${where} (${p.ags}) is not a polygon`);
    const name = typeof p.name === 'string' && p.name ? p.name : p.ags;
    return { type: 'Feature', properties: { level: p.level, ags: p.ags, name }, geometry: rewound(f.geometry) } as Area;
  });
  if (!areas.some((a) => a.properties.level === 'gemeinde')) throw new Error(`${file}: no feature with level "gemeinde"`);
  return areas;
}

/**
 * A d3-geo path context that writes short SVG paths: whole units (at 800 units across the region one
 * unit is about 150 m, below a screen pixel), every point after a ring's first as the step from the one
 * before, and points that round onto the one before left out. The region's page then carries about half
 * the bytes of d3's absolute decimals.
 */
class CompactPath implements GeoContext {
  private out = '';
  private x = 0;
  private y = 0;
  private first = false;

  moveTo(x: number, y: number): void {
    this.x = Math.round(x);
    this.y = Math.round(y);
    this.out += `M${this.x} ${this.y}`;
    this.first = true;
  }

  lineTo(x: number, y: number): void {
    const [rx, ry] = [Math.round(x), Math.round(y)];
    const [dx, dy] = [rx - this.x, ry - this.y];
    if (dx === 0 && dy === 0) return;
    // A minus sign separates numbers itself; after the first step the "l" repeats implicitly.
    const pair = `${dx < 0 ? '' : ' '}${dx}${dy < 0 ? '' : ' '}${dy}`;
    this.out += this.first ? `l${pair.trimStart()}` : pair;
    this.first = false;
    [this.x, this.y] = [rx, ry];
  }

  closePath(): void {
    this.out += 'z';
  }

  /** Each feature's path is taken whole; points, drawn as arcs, the map has none. */
  beginPath(): void {}
  arc(): void {}

  take(): string {
    const d = this.out;
    this.out = '';
    return d;
  }
}

/**
 * Projects the region as German official maps do (ETRS89 / UTM zone 32: transverse Mercator about 9° E),
 * fitted to the municipalities, written as short paths (see CompactPath).
 */
export function projectRegion(areas: Area[]): RegionGeo {
  const municipalities = areas.filter((a) => a.properties.level === 'gemeinde');
  const fitted: FeatureCollection = { type: 'FeatureCollection', features: municipalities };
  const projection = geoTransverseMercator().rotate([-9, 0]).fitWidth(MAP_WIDTH - 2 * PADDING, fitted);
  const [[, top], [, bottom]] = geoPath(projection).bounds(fitted);
  const height = Math.ceil(bottom - top) + 2 * PADDING;
  projection.fitExtent([[PADDING, PADDING], [MAP_WIDTH - PADDING, height - PADDING]], fitted);
  const context = new CompactPath();
  const path = geoPath(projection, context);
  const shape = (a: Area): Shape => {
    path(a);
    return { ags: a.properties.ags, name: a.properties.name, d: context.take() };
  };
  return {
    width: MAP_WIDTH,
    height,
    municipalities: municipalities.map(shape),
    districts: areas.filter((a) => a.properties.level === 'kreis').map(shape),
  };
}

const projected = new Map<string, RegionGeo>();

/** The region of the given file, read and projected once per process. */
export function regionGeo(file: string): RegionGeo {
  let geo = projected.get(file);
  if (!geo) {
    geo = projectRegion(readAreas(file));
    projected.set(file, geo);
  }
  return geo;
}
